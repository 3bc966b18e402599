// azd-render renders a container app template (AppHost/infra/<service>.tmpl.yaml) exactly as `azd deploy` does, so
// that the tests see what azd would PUT to Azure: the same text/template engine, option missingkey=error, the same
// data (.Env, .Image, .Inputs) and the same functions.
//
// Mirrors Azure/azure-dev at ae35809f496491989273d0edefdeb70f245f399b:
//   - cli/azd/pkg/project/service_target_dotnet_containerapp.go: (*dotnetContainerAppTarget).Deploy builds the func
//     map and the data; containerAppTemplateManifestFuncs.Parameter / ParameterWithDefault / UrlHost.
//   - cli/azd/internal/scaffold/funcs.go: AzureSnakeCase.
//   - cli/azd/pkg/config/config.go: (*config).Get walks a dotted path through nested maps.
//   - cli/azd/pkg/environment/environment.go: LookupEnv reads the .env values first, then the process environment.
//
// What azd reads from the machine comes from one JSON file instead, so a test controls all of it:
//
//	{
//	  "dotenv":  {"AZURE_LOCATION": "..."},              // .azure/<env>/.env, main.bicep's outputs included
//	  "environ": {"AZURE_API_MIN_REPLICAS": "5"},        // the environment azd itself runs in
//	  "config":  {"infra": {"parameters": {"x": "..."}}}, // .azure/<env>/config.json, secrets already resolved
//	  "image":   "registry/name:tag",                    // the image azd pushed (or the container's own)
//	  "port":    8080                                    // the port `dotnet publish` reported; 0 for a container
//	}
//
// Usage: azd-render <template file> <context file>. The rendered text goes to stdout; an error to stderr, exit 1.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"text/template"
)

type renderContext struct {
	Dotenv  map[string]string `json:"dotenv"`
	Environ map[string]string `json:"environ"`
	Config  map[string]any    `json:"config"`
	Image   string            `json:"image"`
	Port    int               `json:"port"`
}

// camelCaseRegex and azureSnakeCase: scaffold.AzureSnakeCase.
var camelCaseRegex = regexp.MustCompile(`([a-z0-9])([A-Z])`)

func azureSnakeCase(src string) string {
	return fmt.Sprintf(
		"AZURE_%s", strings.ReplaceAll(strings.ToUpper(camelCaseRegex.ReplaceAllString(src, "${1}_${2}")), "-", "_"))
}

// configGet: config.Get, without the local secret vault (the context holds resolved values).
func configGet(data map[string]any, path string) (any, bool) {
	current := data
	parts := strings.Split(path, ".")
	for i, part := range parts {
		value, ok := current[part]
		if !ok {
			return value, ok
		}
		if i == len(parts)-1 {
			return value, true
		}
		node, ok := value.(map[string]any)
		if !ok {
			return nil, false
		}
		current = node
	}
	return nil, false
}

func (c *renderContext) lookupEnv(key string) (string, bool) {
	if v, has := c.Dotenv[key]; has {
		return v, true
	}
	v, has := c.Environ[key]
	return v, has
}

// parameter: containerAppTemplateManifestFuncs.Parameter (also registered as securedParameter). The process
// environment only, never .env, then the environment's config.
func (c *renderContext) parameter(name string) (string, error) {
	if val, found := c.Environ[azureSnakeCase(name)]; found {
		return val, nil
	}
	val, found := configGet(c.Config, "infra.parameters."+name)
	if !found {
		return "", fmt.Errorf("parameter %s not found", name)
	}
	valString, ok := val.(string)
	if !ok {
		return "", fmt.Errorf("parameter %s is not a string", name)
	}
	return valString, nil
}

// parameterWithDefault: containerAppTemplateManifestFuncs.ParameterWithDefault.
func (c *renderContext) parameterWithDefault(name string, defaultValue string) (string, error) {
	if val, found := c.lookupEnv(azureSnakeCase(name)); found {
		return val, nil
	}
	return defaultValue, nil
}

func urlHost(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	return u.Hostname(), nil
}

func (c *renderContext) funcMap() template.FuncMap {
	return template.FuncMap{
		"urlHost":              urlHost,
		"parameter":            c.parameter,
		"parameterWithDefault": c.parameterWithDefault,
		"securedParameter":     c.parameter,
		"uriEncode":            url.QueryEscape,
		// azd reads a Key Vault secret here; nothing in AspireNotify may need one, so using it fails the render.
		"secretOutput": func(kvHost, secretName string) (string, error) {
			return "", fmt.Errorf("secretOutput %s %s: Key Vault is not available to this renderer", kvHost, secretName)
		},
		"targetPortOrDefault": func(targetPortFromManifest int) int {
			if c.Port == 0 {
				return targetPortFromManifest
			}
			return c.Port
		},
	}
}

// env: the .Env of Deploy: the process's AZURE_* and AZD_* variables, overridden by .env (less LD_*/DYLD_*, which
// Environment.Dotenv leaves out).
func (c *renderContext) env() map[string]string {
	env := make(map[string]string)
	for key, value := range c.Environ {
		if strings.HasPrefix(key, "AZURE_") || strings.HasPrefix(key, "AZD_") {
			env[key] = value
		}
	}
	for key, value := range c.Dotenv {
		upper := strings.ToUpper(key)
		if strings.HasPrefix(upper, "LD_") || strings.HasPrefix(upper, "DYLD_") {
			continue
		}
		env[key] = value
	}
	return env
}

func render(templateText string, c *renderContext) (string, error) {
	inputs := map[string]any{}
	if section, has := configGet(c.Config, "inputs"); has {
		if m, ok := section.(map[string]any); ok {
			inputs = m
		}
	}
	tmpl, err := template.New("manifest template").
		Option("missingkey=error").
		Funcs(c.funcMap()).
		Parse(templateText)
	if err != nil {
		return "", fmt.Errorf("failing parsing manifest template: %w", err)
	}
	builder := strings.Builder{}
	err = tmpl.Execute(&builder, struct {
		Env    map[string]string
		Image  string
		Inputs map[string]any
	}{
		Env:    c.env(),
		Image:  c.Image,
		Inputs: inputs,
	})
	if err != nil {
		return "", fmt.Errorf("failed executing template file: %w", err)
	}
	return builder.String(), nil
}

func run(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: azd-render <template file> <context file>")
	}
	templateText, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	contextJSON, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	var c renderContext
	if err := json.Unmarshal(contextJSON, &c); err != nil {
		return fmt.Errorf("reading %s: %w", args[1], err)
	}
	rendered, err := render(string(templateText), &c)
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(rendered)
	return err
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
