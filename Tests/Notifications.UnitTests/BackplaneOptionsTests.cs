using System.ComponentModel.DataAnnotations;
using Notifications.Api.Backplane;

namespace Notifications.UnitTests;

public class BackplaneOptionsTests
{
    [Theory]
    [InlineData(BackplaneTopology.Standalone, 0)]
    [InlineData(BackplaneTopology.Sentinel, 1)]
    [InlineData(BackplaneTopology.Cluster, 1)]
    public void Replicas_acknowledge_by_default_only_where_a_failover_can_promote_one(BackplaneTopology topology, int expected) =>
        Assert.Equal(expected, new BackplaneOptions { Topology = topology }.ReplicasToAcknowledge);

    [Fact]
    public void An_explicit_count_wins_over_the_topology_s_default() =>
        Assert.Equal(0, new BackplaneOptions { Topology = BackplaneTopology.Cluster, MinReplicasToAcknowledge = 0 }.ReplicasToAcknowledge);

    [Fact]
    public void Waiting_for_replicas_must_fit_inside_the_publish_timeout()
    {
        var options = new BackplaneOptions
        {
            Topology = BackplaneTopology.Sentinel,
            PublishTimeout = TimeSpan.FromSeconds(2),
            ReplicaAcknowledgeTimeout = TimeSpan.FromSeconds(2),
        };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(nameof(BackplaneOptions.ReplicaAcknowledgeTimeout), Assert.Single(errors).MemberNames);
    }

    [Fact]
    public void Without_replicas_to_wait_for_the_acknowledgement_timeout_does_not_matter()
    {
        var options = new BackplaneOptions { PublishTimeout = TimeSpan.FromSeconds(1), ReplicaAcknowledgeTimeout = TimeSpan.FromSeconds(5) };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
