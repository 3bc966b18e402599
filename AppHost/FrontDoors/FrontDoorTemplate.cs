using System.Globalization;
using System.Text;

namespace AppHost.FrontDoors;

/// <summary>A replica as the front door reaches it.</summary>
public sealed record FrontDoorReplica(string Name, string Address);

/// <summary>What a front door's configuration is rendered with (the placeholders of the files in deploy/).</summary>
public sealed record FrontDoorSettings(string RunDirectory, string Listen, IReadOnlyList<FrontDoorReplica> Replicas, TimeSpan IdleTimeout,
    TimeSpan HandshakeTimeout, int MaxBodyBytes)
{
    /// <summary>A few heartbeats: the replicas ping every interval, so only a dead socket stays idle three of them.</summary>
    public static TimeSpan IdleTimeoutFor(TimeSpan keepAliveInterval) => keepAliveInterval * 3;
}

/// <summary>
/// Renders deploy/nginx/nginx.conf and deploy/haproxy/haproxy.cfg: the AppHost and the integration tests run exactly
/// these files, with the placeholders filled in.
/// </summary>
public static class FrontDoorTemplate
{
    public static string FileOf(FrontDoorKind kind) => kind switch
    {
        FrontDoorKind.Nginx => Path.Combine("deploy", "nginx", "nginx.conf"),
        FrontDoorKind.HAProxy => Path.Combine("deploy", "haproxy", "haproxy.cfg"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Aspire's proxy has no configuration file."),
    };

    /// <summary>
    /// The template's text with every placeholder filled. A line naming <c>{{REPLICA}}</c> repeats once per replica;
    /// comment lines stay as they are (the template documents its placeholders in them).
    /// </summary>
    public static string Render(string template, FrontDoorSettings settings)
    {
        var output = new StringBuilder();
        foreach (var line in template.TrimEnd('\n').Split('\n'))
        {
            var lines = line.TrimStart().StartsWith('#') ? [line]
                : line.Contains("{{REPLICA}}", StringComparison.Ordinal) ? settings.Replicas.Select(replica => Fill(line, settings, replica))
                : [Fill(line, settings, null)];
            foreach (var rendered in lines)
            {
                output.Append(rendered).Append('\n');
            }
        }

        return output.ToString();
    }

    private static string Fill(string line, FrontDoorSettings settings, FrontDoorReplica? replica) => line
        .Replace("{{REPLICA_NAME}}", replica?.Name, StringComparison.Ordinal)
        .Replace("{{REPLICA}}", replica?.Address, StringComparison.Ordinal)
        .Replace("{{RUN_DIR}}", settings.RunDirectory, StringComparison.Ordinal)
        .Replace("{{LISTEN}}", settings.Listen, StringComparison.Ordinal)
        .Replace("{{IDLE_TIMEOUT}}", Duration(settings.IdleTimeout), StringComparison.Ordinal)
        .Replace("{{HANDSHAKE_TIMEOUT}}", Duration(settings.HandshakeTimeout), StringComparison.Ordinal)
        .Replace("{{MAX_BODY}}", settings.MaxBodyBytes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Both nginx and HAProxy read <c>90s</c> and <c>1500ms</c>.</summary>
    private static string Duration(TimeSpan value) =>
        value.Milliseconds == 0
            ? ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
