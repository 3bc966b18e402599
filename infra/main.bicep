// What `azd provision` deploys for AspireNotify; azd uses this folder as it is (it generates nothing when
// infra/main.bicep exists). The shape is the one `azd infra gen` writes for an Aspire AppHost, so the azd commands
// and the per-service templates in AppHost/infra/ find the outputs they expect. docs/azure-container-apps.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment that can be used as part of naming resource convention, the name of the resource group for your application will use this name, prefixed with rg-')
param environmentName string

@minLength(1)
@description('The location used for all deployed resources')
param location string

@description('Id of the user or app to assign application roles')
param principalId string = ''

// The AppHost's secret parameters. azd generates each one on the first `azd provision` (the metadata is the
// manifest's "generate" block, as `azd infra gen` would translate it), stores it in the environment's config as
// infra.parameters.<name>, and the templates in AppHost/infra/ read it back with `securedParameter`. No Azure
// resource takes them: they are declared here only so that azd creates and keeps them.
@metadata({azd: {
  type: 'generate'
  config: {length:48,noSpecial:true}
  }
})
@secure()
#disable-next-line no-unused-params
param jwt_signing_key string

@metadata({azd: {
  type: 'generate'
  config: {length:22,noSpecial:true}
  }
})
@secure()
#disable-next-line no-unused-params
param redis_password string

@metadata({azd: {
  type: 'generate'
  config: {length:24,noSpecial:true}
  }
})
@secure()
#disable-next-line no-unused-params
param web_access_code string

var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  scope: rg
  name: 'resources'
  params: {
    location: location
    tags: tags
    principalId: principalId
  }
}

output MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.MANAGED_IDENTITY_CLIENT_ID
output MANAGED_IDENTITY_NAME string = resources.outputs.MANAGED_IDENTITY_NAME
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = resources.outputs.AZURE_LOG_ANALYTICS_WORKSPACE_NAME
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = resources.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT
output AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID string = resources.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID
output AZURE_CONTAINER_REGISTRY_NAME string = resources.outputs.AZURE_CONTAINER_REGISTRY_NAME
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_NAME
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID
output AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN string = resources.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN
output SERVICE_REDIS_VOLUME_DATA_NAME string = resources.outputs.SERVICE_REDIS_VOLUME_DATA_NAME
output AZURE_VOLUMES_STORAGE_ACCOUNT string = resources.outputs.AZURE_VOLUMES_STORAGE_ACCOUNT
