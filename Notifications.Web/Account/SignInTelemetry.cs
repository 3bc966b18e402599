using System.Diagnostics.Metrics;

namespace Notifications.Web.Account;

/// <summary>The sign-in page's meter: who was turned away and why, so a guessing attack shows on a dashboard.</summary>
public sealed class SignInTelemetry
{
    public const string MeterName = "AspireNotify.Web";

    private readonly Counter<long> _refused;

    public SignInTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _refused = meter.CreateCounter<long>("aspirenotify.web.sign_in.refused", "{attempt}",
            "Sign-in attempts refused, by reason: off, wrong_code, rate_limited.");
    }

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
