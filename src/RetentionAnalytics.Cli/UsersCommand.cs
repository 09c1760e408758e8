using System.CommandLine;
using System.Text.Json;
using RetentionAnalytics.Core.Accounts;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra users add | list | disable | enable | reset-password</c>: the portal's local accounts without the portal, with
/// the portal's password rule. A password never goes on the command line: it is typed at a hidden prompt, read from
/// standard input (<c>--password-stdin</c>), or generated (<c>--temporary</c>, shown once, to be changed at the first
/// sign-in). Every change is audited like the administrators' page does it, by <c>cli</c>.
/// </summary>
internal static class UsersCommand
{
    private const string Actor = "cli";

    public static Command Create()
    {
        var command = new Command("users", "Manage the portal's local accounts: add, list, disable, enable, reset-password");
        command.Add(Add());
        command.Add(List());
        command.Add(SetDisabled("disable", disabled: true));
        command.Add(SetDisabled("enable", disabled: false));
        command.Add(ResetPassword());
        return command;
    }

    private static Command Add()
    {
        var username = new Argument<string>("username") { Description = "Sign-in name: lower-case letters, digits, . _ @ -" };
        var roles = new Option<string[]>("--role") { Description = $"A role (repeatable): {string.Join(", ", AccountRoles.All)}", Required = true };
        var province = new Option<bool>("--province") { Description = "Region scope: the whole province" };
        var cities = new Option<string[]>("--city") { Description = "Region scope: a city code (repeatable), e.g. 571" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the username)" };
        var team = new Option<string?>("--team") { Description = "A supervisor's team, e.g. T571-RET" };
        var language = new Option<string>("--language") { Description = "en, de or zh-Hans", DefaultValueFactory = _ => "en" };
        var (stdin, temporary, mustChange) = PasswordOptions();
        var command = new Command("add", "Create a local account") { username, roles, province, cities, name, team, language, stdin, temporary, mustChange };
        command.SetAction(parse => Run(parse, (accounts, _) =>
        {
            var user = AccountStore.Normalize(parse.GetValue(username));
            var password = parse.GetValue(temporary) ? null : ReadPassword(parse.GetValue(stdin), accounts.Policy, user);
            if (password is { Length: 0 })
            {
                return CliOptions.ExitFailed;
            }
            var profile = new AccountProfile(parse.GetValue(name) ?? user, parse.GetValue(roles) ?? [], parse.GetValue(province),
                parse.GetValue(cities) ?? [], parse.GetValue(team), parse.GetValue(language)!);
            var initial = accounts.Create(Actor, user, profile, password, mustChange: password is null || parse.GetValue(mustChange), clientIp: Actor);
            AnsiConsole.MarkupLineInterpolated($"Account [green]{user}[/] created: {string.Join(", ", profile.Roles)}, {ScopeText(profile.Province, profile.Cities)}.");
            if (password is null)
            {
                ShowTemporary(initial);
            }
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("list", "List the accounts (no passwords)") { json };
        command.SetAction(parse => Run(parse, (accounts, _) =>
        {
            var users = accounts.List();
            var demoMode = CliConfiguration.DemoMode;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(users.Select(u => new
                {
                    u.Username, u.DisplayName, u.Source, roles = u.RoleList, province = u.ScopeProvince, cities = u.CityList, u.TeamId,
                    u.PreferredLanguage, u.Disabled, mustChangePassword = u.MustChangeNow(demoMode), u.LastSignInAt,
                }), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                return 0;
            }
            var table = new Table().AddColumns("username", "name", "roles", "scope", "source", "status", "last sign-in");
            foreach (var u in users)
            {
                var status = u.Disabled ? "disabled" : u.MustChangeNow(demoMode) ? "must change password" : "active";
                table.AddRow(Markup.Escape(u.Username), Markup.Escape(u.DisplayName), Markup.Escape(string.Join(", ", u.RoleList)),
                    ScopeText(u.ScopeProvince, u.CityList), u.Source, status, $"{u.LastSignInAt:yyyy-MM-dd HH:mm}");
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command SetDisabled(string verb, bool disabled)
    {
        var username = new Argument<string>("username");
        var command = new Command(verb, disabled ? "Disable an account; its open sessions end at once" : "Enable a disabled account") { username };
        command.SetAction(parse => Run(parse, (accounts, _) =>
        {
            var user = AccountStore.Normalize(parse.GetValue(username));
            accounts.SetDisabled(Actor, user, disabled, Actor);
            AnsiConsole.MarkupLineInterpolated($"Account [green]{user}[/] {(disabled ? "disabled; its sessions ended" : "enabled")}.");
            return 0;
        }));
        return command;
    }

    private static Command ResetPassword()
    {
        var username = new Argument<string>("username");
        var (stdin, temporary, mustChange) = PasswordOptions();
        var command = new Command("reset-password", "Set a local account's password; its open sessions end") { username, stdin, temporary, mustChange };
        command.SetAction(parse => Run(parse, (accounts, _) =>
        {
            var user = AccountStore.Normalize(parse.GetValue(username));
            if (accounts.Find(user) is null)
            {
                throw new AccountException("UnknownAccount");
            }
            if (parse.GetValue(temporary))
            {
                ShowTemporary(accounts.ResetPassword(Actor, user, Actor));
                return 0;
            }
            var password = ReadPassword(parse.GetValue(stdin), accounts.Policy, user);
            if (password.Length == 0)
            {
                return CliOptions.ExitFailed;
            }
            accounts.SetPassword(Actor, user, password, parse.GetValue(mustChange), Actor);
            AnsiConsole.MarkupLineInterpolated($"Password of [green]{user}[/] set; its sessions ended.");
            return 0;
        }));
        return command;
    }

    private static (Option<bool> Stdin, Option<bool> Temporary, Option<bool> MustChange) PasswordOptions() =>
    (
        new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" },
        new Option<bool>("--temporary") { Description = "Generate a temporary password, shown once, to be changed at the first sign-in" },
        new Option<bool>("--must-change") { Description = "The user must choose a new password at the next sign-in" }
    );

    private static int Run(ParseResult parse, Func<AccountStore, Db, int> action)
    {
        using var db = CliOptions.OpenOrExplain(parse);
        if (db is null)
        {
            return CliOptions.ExitLocked;
        }
        try
        {
            return action(new AccountStore(db, new AuditLog(db), CliConfiguration.PasswordPolicy), db);
        }
        catch (AccountException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{Reason(ex.ReasonKey, CliConfiguration.PasswordPolicy)}[/]");
            return CliOptions.ExitFailed;
        }
    }

    /// <summary>The password from standard input or a hidden prompt (typed twice); empty when it cannot be read.</summary>
    private static string ReadPassword(bool fromStdin, PasswordPolicy policy, string username)
    {
        if (fromStdin)
        {
            var line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                AnsiConsole.MarkupLine("[red]--password-stdin: standard input holds no password.[/]");
                return "";
            }
            return line;
        }
        if (Console.IsInputRedirected)
        {
            AnsiConsole.MarkupLine("[red]No terminal to type the password at: use --password-stdin or --temporary.[/]");
            return "";
        }
        AnsiConsole.MarkupLineInterpolated($"[grey]{Reason("PasswordRule", policy)}[/]");
        var first = AnsiConsole.Prompt(new TextPrompt<string>($"New password for {Markup.Escape(username)}:").Secret());
        var second = AnsiConsole.Prompt(new TextPrompt<string>("Repeat it:").Secret());
        if (first != second)
        {
            AnsiConsole.MarkupLine("[red]The two passwords differ.[/]");
            return "";
        }
        return first;
    }

    private static void ShowTemporary(string password) =>
        AnsiConsole.MarkupLineInterpolated($"Temporary password (shown once, to be changed at the first sign-in): [yellow]{password}[/]");

    private static string ScopeText(bool province, IReadOnlyList<string> cities) =>
        province ? "province" : cities.Count > 0 ? "cities " + string.Join(", ", cities) : "no region scope (reads nothing)";

    private static string Reason(string key, PasswordPolicy policy) => key switch
    {
        "PasswordRule" => $"At least {policy.MinLength} characters (up to {PasswordPolicy.MaxLength}), not containing the username, not a commonly used password.",
        "PasswordTooShort" => $"The password is too short: at least {policy.MinLength} characters.",
        "PasswordTooLong" => $"The password is too long: at most {PasswordPolicy.MaxLength} characters.",
        "PasswordTooWeak" => "The password may not contain the username, be the demo password or repeat one or two characters.",
        "PasswordCommon" => "The password is on the list of commonly used passwords: choose another one.",
        "InvalidUsername" => "The username must be lower-case letters, digits, '.', '_', '@' or '-' (at most 64).",
        "UsernameTaken" => "An account with this username exists already.",
        "UnknownRole" => $"Unknown role: the roles are {string.Join(", ", AccountRoles.All)}.",
        "InvalidCity" => "A city code must be letters and digits, e.g. 571.",
        "UnknownAccount" => "No such account.",
        "DirectoryAccount" => "This account signs in through the directory: its password is not kept here.",
        _ => key,
    };
}
