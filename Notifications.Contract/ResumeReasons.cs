namespace Notifications.Contract;

/// <summary>Why a resume did not recover (<c>reason</c> of a <c>resumed</c> frame with <c>recovered: false</c>).</summary>
public static class ResumeReasons
{
    /// <summary>The client's epoch is not the history's (Redis lost its data), or the client sent none.</summary>
    public const string EpochChanged = "epoch_changed";

    /// <summary>The history no longer holds every message after the client's position (count or age limit).</summary>
    public const string HistoryTrimmed = "history_trimmed";

    /// <summary>The client claims a seq the stream has not reached.</summary>
    public const string PositionAhead = "position_ahead";
}
