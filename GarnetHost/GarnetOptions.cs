using System.ComponentModel.DataAnnotations;

namespace GarnetHost;

/// <summary>Where and how the embedded Redis-compatible server listens.</summary>
public sealed class GarnetOptions
{
    public const string SectionName = "Garnet";

    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 6379;

    /// <summary>Every client must AUTH with this; the AppHost generates it, so a dev backplane is never open.</summary>
    [Required, MinLength(8)]
    public string Password { get; set; } = "";
}
