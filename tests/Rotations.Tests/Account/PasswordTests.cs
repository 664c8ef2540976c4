using System.Buffers.Binary;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Account;

public sealed class PasswordTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static string NewEmail() => $"pw.{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task StoredHash_IsPbkdf2WithAtLeast210000Iterations()
    {
        var person = await app.CreatePersonAsync(NewEmail());
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var stored = (await people.FindByIdAsync(person.Id.ToString()))!.PasswordHash!;

        // Identity V3 format: 0x01, PRF (uint32 BE), iteration count (uint32 BE), salt length, salt, subkey.
        var bytes = Convert.FromBase64String(stored);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1))); // HMACSHA512
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)) >= 210_000);
    }

    [Theory]
    [InlineData("elevenchars", false)]
    [InlineData("twelve chars", true)]
    [InlineData("alllowercaseletters", true)]
    [InlineData("123456789012", true)]
    public async Task Password_NeedsTwelveCharactersAndNoCompositionRules(string password, bool accepted)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var email = NewEmail();
        var result = await people.CreateAsync(new Person { UserName = email, Email = email, DisplayName = "Pat Test" }, password);

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted) Assert.Contains(result.Errors, e => e.Code == "PasswordTooShort");
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_ShowsTheMessageBesideThatField()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = await app.SignInAsync(email);

        var response = await RotationsApp.PostFormAsync(client, "/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = "not my password",
            ["Input.NewPassword"] = "a brand new passphrase",
            ["Input.ConfirmPassword"] = "a brand new passphrase",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("data-valmsg-for=\"Input.CurrentPassword\"[^>]*>The current password is not right.", html);
    }

    [Fact]
    public async Task ChangePassword_TooShortOrNotRepeated_ShowsEachProblemBesideItsField()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = await app.SignInAsync(email);

        var mismatch = await (await RotationsApp.PostFormAsync(client, "/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = RotationsApp.Password,
            ["Input.NewPassword"] = "a brand new passphrase",
            ["Input.ConfirmPassword"] = "a different passphrase",
        })).Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Input.ConfirmPassword\"[^>]*>The two new passwords are not the same.", mismatch);

        var tooShort = await (await RotationsApp.PostFormAsync(client, "/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = RotationsApp.Password,
            ["Input.NewPassword"] = "short",
            ["Input.ConfirmPassword"] = "short",
        })).Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Input.NewPassword\"[^>]*>Passwords must be at least 12 characters.", tooShort);
    }

    [Fact]
    public async Task ChangePassword_Succeeds_NewPasswordSignsInAndTheOldOneNoLonger()
    {
        var email = NewEmail();
        await app.CreatePersonAsync(email);
        var client = await app.SignInAsync(email);
        const string newPassword = "a brand new passphrase";

        var response = await RotationsApp.PostFormAsync(client, "/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = RotationsApp.Password,
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = newPassword,
        });

        Assert.Contains("Your password has been changed.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode); // this session stays signed in
        await app.SignInAsync(email, newPassword);
        var old = await RotationsApp.PostFormAsync(app.CreateBrowser(), "/Account/Login",
            new() { ["Input.Email"] = email, ["Input.Password"] = RotationsApp.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }
}
