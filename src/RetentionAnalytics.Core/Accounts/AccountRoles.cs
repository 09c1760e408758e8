namespace RetentionAnalytics.Core.Accounts;

/// <summary>The roles an account can hold, as stored in ops.app_user.roles and named in directory group mappings.</summary>
public static class AccountRoles
{
    public const string Administrator = "administrator";
    public const string ProvincialLeader = "leader";
    public const string CityManager = "city_manager";
    public const string Analyst = "analyst";
    public const string GeneralUser = "user";
    public const string Supervisor = "supervisor";
    public const string Agent = "agent";

    public static readonly IReadOnlyList<string> All =
        [Administrator, ProvincialLeader, CityManager, Analyst, GeneralUser, Supervisor, Agent];

    /// <summary>The languages an account can prefer (the portal's cultures).</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "de", "zh-Hans"];
}
