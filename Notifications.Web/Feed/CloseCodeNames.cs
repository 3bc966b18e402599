namespace Notifications.Web.Feed;

/// <summary>What each close code of the wire contract means, in a few words for the connection cards.</summary>
public static class CloseCodeNames
{
    public static string Describe(int code) => code switch
    {
        1000 => "normal closure",
        1003 => "binary frame sent",
        1006 => "connection lost or refused",
        1007 => "invalid frame sent",
        1009 => "message too big",
        1012 => "service restart",
        1013 => "try again later",
        4000 => "slow consumer",
        4001 => "token expired",
        4002 => "resume required",
        _ => "unknown",
    };
}
