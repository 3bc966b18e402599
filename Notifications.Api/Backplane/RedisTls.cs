using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Notifications.Api.Backplane;

/// <summary>
/// TLS to Redis is switched on in the connection string (<c>ssl=true</c>). <c>Backplane:TrustedCertificateAuthority</c>
/// names the PEM file of the one CA the server's certificate must chain to: with it set, certificates the system trusts
/// otherwise are refused too, so nothing but that CA can vouch for the backplane.
/// </summary>
internal static class RedisTls
{
    public static RemoteCertificateValidationCallback TrustOnly(string certificateAuthorityPath)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(certificateAuthorityPath);
        return (_, certificate, presentedChain, errors) =>
        {
            // A wrong host name or a missing certificate is never forgiven; the chain is judged against the CA alone.
            if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presentedChain is not null)
            {
                foreach (var element in presentedChain.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };
    }
}
