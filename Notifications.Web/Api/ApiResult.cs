using System.Diagnostics.CodeAnalysis;

namespace Notifications.Web.Api;

/// <summary>An API answer: the value, or what went wrong in words a person can act on.</summary>
public sealed record ApiResult<T>(T? Value, string? Error) where T : class
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Value is not null;
}

public static class ApiResult
{
    public static ApiResult<T> Success<T>(T value) where T : class => new(value, null);

    public static ApiResult<T> Failure<T>(string error) where T : class => new(null, error);
}
