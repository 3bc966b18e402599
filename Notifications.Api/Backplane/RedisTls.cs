using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Notifications.Api.Backplane;

/// <summary>
/// TLS to Redis is switched on in the connection string (<c>ssl=true</c>); when the server's certificate comes from
/// a private CA, <c>Backplane:TrustedCertificateAuthority</c> names that CA's PEM file, and only chains to it pass.
/// </summary>
internal static class RedisTls
{
    public static RemoteCertificateValidationCallback TrustOnly(string certificateAuthorityPath)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(certificateAuthorityPath);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            // A wrong host name or a missing certificate is never forgiven; only the chain is checked against the CA.
            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };
    }
}
