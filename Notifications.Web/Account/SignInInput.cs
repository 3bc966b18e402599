using System.ComponentModel.DataAnnotations;

namespace Notifications.Web.Account;

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter a user id.")]
    [RegularExpression(UserIdRule.Pattern, ErrorMessage = UserIdRule.Message)]
    public string? UserId { get; set; }

    public bool Publisher { get; set; }
}
