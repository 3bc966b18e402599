// The experimental certificate annotation is exactly what Aspire's warning reads.
#pragma warning disable ASPIRECERTIFICATES001

namespace Notifications.IntegrationTests;

/// <summary>What <c>dotnet run --project AppHost</c> needs from the machine.</summary>
public class LocalRunTests
{
    /// <summary>
    /// Aspire warns on every dashboard page that no development certificate is trusted as soon as any resource serves
    /// TLS (an https endpoint, or the certificate it would hand a project); none does here, so there is no warning to see.
    /// </summary>
    [Fact]
    public async Task No_resource_needs_a_development_certificate()
    {
        using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["Backplane:Host=Garnet"]);

        foreach (var resource in builder.Resources.Where(r => r is ProjectResource))
        {
            Assert.DoesNotContain(resource.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.UriScheme == "https");
            Assert.True(resource.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var certificate), $"{resource.Name} may be handed a certificate");
            Assert.False(certificate.UseDeveloperCertificate ?? true, $"{resource.Name} uses the development certificate");
            Assert.Null(certificate.Certificate);
        }
    }
}
