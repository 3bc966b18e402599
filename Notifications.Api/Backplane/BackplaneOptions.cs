using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Backplane;

public sealed class BackplaneOptions : IValidatableObject
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

    public BackplaneTopology Topology { get; set; } = BackplaneTopology.Standalone;

    /// <summary>
    /// Replicas that must hold a message (Redis <c>WAIT</c>) before its publish is answered 202 and it is delivered, so
    /// a failover to one of them cannot lose it; unset: 0 for a single server, 1 for Sentinel and Cluster.
    /// </summary>
    [Range(0, 16)]
    public int? MinReplicasToAcknowledge { get; set; }

    /// <summary>How long a publish waits for the replicas' acknowledgement before the API answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan ReplicaAcknowledgeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The replicas a publish waits for, after the topology's default.</summary>
    public int ReplicasToAcknowledge => MinReplicasToAcknowledge ?? (Topology == BackplaneTopology.Standalone ? 0 : 1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReplicasToAcknowledge > 0 && ReplicaAcknowledgeTimeout >= PublishTimeout)
        {
            yield return new ValidationResult("ReplicaAcknowledgeTimeout must be shorter than PublishTimeout: a publish waits for both.",
                [nameof(ReplicaAcknowledgeTimeout)]);
        }
    }
}
