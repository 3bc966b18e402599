using System.ComponentModel.DataAnnotations;

namespace Notifications.Web.Account;

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter a user id.")]
    [RegularExpression(UserIds.Pattern, ErrorMessage = UserIds.Rule)]
    public string? UserId { get; set; }

    public bool Publisher { get; set; }

    /// <summary>The deployment's access code, when it signs people in with one (<see cref="SignInMode.AccessCode"/>).</summary>
    public string? AccessCode { get; set; }
}
