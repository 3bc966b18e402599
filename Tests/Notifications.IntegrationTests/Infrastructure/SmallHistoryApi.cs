using System.Globalization;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>A replica whose history keeps only a few messages, to step past it.</summary>
public sealed class SmallHistoryApi : InProcessApi
{
    public const int HistoryMaxCount = 3;

    protected override Dictionary<string, string> Settings => new(base.Settings)
    {
        ["History:MaxCount"] = HistoryMaxCount.ToString(CultureInfo.InvariantCulture),
    };
}
