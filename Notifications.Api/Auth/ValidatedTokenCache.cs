using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Notifications.Api.Auth;

/// <summary>
/// Bearer tokens already validated, by their exact text, until they expire. Only a successful validation is stored;
/// a token that differs by one character (another signature, a tampered claim) is another key and is validated in
/// full. Bounded: when full, expired entries go first, then everything (a flood of distinct valid tokens costs the
/// hits of the next few requests, never memory).
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time, int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A validated token's identity (a copy each time: the caller may change its own) and token, while it has not expired.</summary>
    public bool TryGet(string token, out ClaimsIdentity identity, out SecurityToken securityToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(token, out entry))
            {
                (identity, securityToken) = (null!, null!);
                return false;
            }
        }

        if (time.GetUtcNow() >= entry.ExpiresAt)
        {
            lock (_lock)
            {
                _entries.Remove(token);
            }

            (identity, securityToken) = (null!, null!);
            return false;
        }

        (identity, securityToken) = (entry.Identity.Clone(), entry.SecurityToken);
        return true;
    }

    /// <summary>
    /// Remembers a token that was just validated, until its <c>exp</c> (not past it, though the validator allows some
    /// clock skew beyond): a token with no expiry is not remembered.
    /// </summary>
    public void Add(string token, ClaimsIdentity identity, SecurityToken securityToken)
    {
        var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
        var now = time.GetUtcNow();
        if (capacity == 0 || securityToken.ValidTo == DateTime.MinValue || expiresAt <= now)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Count >= capacity && !_entries.ContainsKey(token))
            {
                MakeRoom(now);
            }

            _entries[token] = new Entry(identity.Clone(), securityToken, expiresAt);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (token, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.Remove(token);
            }
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
    }

    private readonly record struct Entry(ClaimsIdentity Identity, SecurityToken SecurityToken, DateTimeOffset ExpiresAt);
}
