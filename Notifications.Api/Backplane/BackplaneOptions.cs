using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Backplane;

public sealed class BackplaneOptions
{
    public const string SectionName = "Backplane";

    /// <summary>Prepended to every channel, so several deployments can share one Redis.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9._:-]{1,64}$")]
    public string ChannelPrefix { get; set; } = "aspirenotify:";

    /// <summary>How long a publish waits for Redis before the API answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PEM file of a private CA that signed the Redis server's TLS certificate (with <c>ssl=true</c>).</summary>
    public string? TrustedCertificateAuthority { get; set; }
}
