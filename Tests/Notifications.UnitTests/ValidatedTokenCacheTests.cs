using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Notifications.Api.Auth;

namespace Notifications.UnitTests;

public class ValidatedTokenCacheTests
{
    private static readonly AuthOptions Options = new() { SigningKey = new string('k', 48) };

    [Fact]
    public async Task A_valid_token_is_answered_from_the_cache_with_its_identity()
    {
        var (handler, cache, time) = Create();
        var token = Issue(time, "publisher-1", TimeSpan.FromMinutes(5));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.True(second.IsValid);
        Assert.Equal(1, cache.Count);
        Assert.Equal("publisher-1", second.ClaimsIdentity.Name);
        Assert.True(new ClaimsPrincipal(second.ClaimsIdentity).IsInRole(Roles.Publisher));
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Same(first.SecurityToken, second.SecurityToken);
    }

    [Fact]
    public async Task A_cached_identity_changed_by_one_request_is_not_seen_by_the_next()
    {
        var (handler, _, time) = Create();
        var token = Issue(time, "publisher-1", TimeSpan.FromMinutes(5));
        await handler.ValidateTokenAsync(token, Parameters());

        (await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity.AddClaim(new Claim(TokenClaims.Role, "admin"));

        Assert.False(new ClaimsPrincipal((await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity).IsInRole("admin"));
    }

    [Fact]
    public async Task A_cached_token_is_not_accepted_past_its_expiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 10);
        var token = Issue(time, "publisher-1", TimeSpan.FromMinutes(5));
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, Parameters());
        cache.Add(token, result.ClaimsIdentity, result.SecurityToken);
        Assert.True(cache.TryGet(token, out _, out _));

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(cache.TryGet(token, out _, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_not_cached()
    {
        var (handler, cache, _) = Create();
        var token = Issue(new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2)), "publisher-1", TimeSpan.FromMinutes(5));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_tampered_copy_of_a_cached_token_is_refused(int part)
    {
        var (handler, cache, time) = Create();
        var token = Issue(time, "publisher-1", TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        var parts = token.Split('.');
        parts[part] = Tamper(parts[part]);
        var tampered = string.Join('.', parts);

        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters())).IsValid);
        Assert.Equal(1, cache.Count);
    }

    [Theory]
    [InlineData("another-signing-key-that-is-long-enough-000", "aspire-notify", "aspire-notify")]
    [InlineData(null, "someone-else", "aspire-notify")]
    [InlineData(null, "aspire-notify", "someone-else")]
    public async Task A_token_from_another_key_issuer_or_audience_is_refused_while_a_valid_one_is_cached(string? key, string issuer, string audience)
    {
        var (handler, _, time) = Create();
        Assert.True((await handler.ValidateTokenAsync(Issue(time, "publisher-1", TimeSpan.FromMinutes(5)), Parameters())).IsValid);
        var other = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(
            new AuthOptions { SigningKey = key ?? Options.SigningKey, Issuer = issuer, Audience = audience }), time);

        var token = other.Issue("publisher-1", [Roles.Publisher], TimeSpan.FromMinutes(5)).AccessToken;

        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_cached_token_is_validated_in_full_under_other_rules()
    {
        var (handler, _, time) = Create();
        var token = Issue(time, "publisher-1", TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        var otherAudience = Parameters();
        otherAudience.ValidAudience = "someone-else";
        var otherKey = Parameters();
        otherKey.IssuerSigningKeys = [TokenIssuer.CreateSigningKey("another-signing-key-that-is-long-enough-000")];

        Assert.False((await handler.ValidateTokenAsync(token, otherAudience)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, otherKey)).IsValid);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_its_capacity()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 3);
        var handler = new CachingTokenHandler(Parameters(), cache);
        var tokens = Enumerable.Range(0, 7).Select(i => Issue(time, $"publisher-{i}", TimeSpan.FromMinutes(5))).ToList();

        foreach (var token in tokens)
        {
            Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
            Assert.InRange(cache.Count, 1, 3);
        }

        Assert.True(cache.TryGet(tokens[^1], out _, out _));
    }

    [Fact]
    public async Task Expired_entries_make_room_before_live_ones()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 2);
        var handler = new CachingTokenHandler(Parameters(), cache);
        var shortLived = Issue(time, "short", TimeSpan.FromMinutes(1));
        var longLived = Issue(time, "long", TimeSpan.FromMinutes(10));
        await handler.ValidateTokenAsync(shortLived, Parameters());
        await handler.ValidateTokenAsync(longLived, Parameters());

        time.Advance(TimeSpan.FromMinutes(2));
        cache.Add("new", new ClaimsIdentity(), new JsonWebToken(longLived));

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(longLived, out _, out _));
        Assert.False(cache.TryGet(shortLived, out _, out _));
    }

    [Fact]
    public async Task A_cache_of_size_zero_remembers_nothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 0);
        var handler = new CachingTokenHandler(Parameters(), cache);

        Assert.True((await handler.ValidateTokenAsync(Issue(time, "publisher-1", TimeSpan.FromMinutes(5)), Parameters())).IsValid);
        Assert.Equal(0, cache.Count);
    }

    private static (CachingTokenHandler Handler, ValidatedTokenCache Cache, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 10);
        return (new CachingTokenHandler(Parameters(), cache), cache, time);
    }

    /// <summary>A copy each time, as the bearer handler passes one per request.</summary>
    private static TokenValidationParameters Parameters() => SharedParameters.Clone();

    private static readonly TokenValidationParameters SharedParameters = TokenIssuer.CreateValidationParameters(Options);

    private static string Issue(TimeProvider time, string subject, TimeSpan lifetime) =>
        new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), time).Issue(subject, [Roles.Publisher], lifetime).AccessToken;

    /// <summary>Changes one base64url character in the middle, so the part still decodes but says something else.</summary>
    private static string Tamper(string part)
    {
        var chars = part.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
