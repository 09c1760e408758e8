using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using RetentionAnalytics.Tests.Support;
using static RetentionAnalytics.Portal.Features.Shared.Access.PortalRoles;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Every page route and data endpoint × every role (one demo account each) and nobody signed in, over real HTTP
/// against the real portal with a cookie sign-in. TO ADD A ROUTE: add one line to <see cref="Matrix"/> naming the
/// roles that may open it (<c>Page</c> for pages, <c>Api</c> for JSON endpoints, <c>Public</c> for open ones).
/// Allowed → 200; a signed-in role that is not allowed → 403; nobody signed in → the sign-in page (pages) or 401 (APIs).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class AccessMatrixTests(PortalHost portal)
{
    public enum Kind { Page, Api, Public }

    public sealed record Rule(string Route, Kind Kind, string[] Allowed);

    private static Rule Page(string route, params string[] roles) => new(route, Kind.Page, roles);
    private static Rule Api(string route, params string[] roles) => new(route, Kind.Api, roles);
    private static Rule Public(string route) => new(route, Kind.Public, [.. All]);

    private static readonly string[] Reports = [ProvincialLeader, CityManager, Analyst, GeneralUser];
    private static readonly string[] Customers = [Agent, Supervisor, Analyst, ProvincialLeader, CityManager];

    public static readonly Rule[] Matrix =
    [
        Page("/overview", Reports),
        Page("/call-lists", Supervisor),
        Page("/customers", Customers),
        Page("/customers/S00000004", Customers),
        Page("/my-tasks", Agent),
        Page("/analysis/rules", Analyst, Administrator),
        Page("/admin", Administrator),
        Page("/analysis/cubes", Analyst, ProvincialLeader, CityManager, Administrator),
        Page("/admin/users", Administrator),
        Page("/admin/teams", Administrator),
        Page("/admin/regions", Administrator),
        Page("/admin/schedules", Administrator),
        Page("/admin/scenarios", Administrator),
        Page("/admin/audit", Administrator),
        Page("/operations", Administrator),
        Page("/account/password", [.. All]),
        Api("/api/overview/kpis", Reports),
        Api("/api/call-lists/summary", Supervisor),
        Api("/api/call-lists/export?format=csv", Supervisor),
        Api("/api/my-tasks", Agent),
        Api("/api/admin/audit", Administrator),
        Api("/api/admin/audit/export?format=csv", Administrator),
        Api("/api/admin/job-runs", Administrator),
        Page("/reports", Reports),
        Page("/reports/kpi_overview", Reports),
        Api("/api/reports/kpi_overview", Reports),
        Api("/api/inbox", Reports),
        Page("/inbox", Reports),
        Api("/api/inbox/subscriptions", Reports),
        Public("/healthz"),
        Page("/my-tasks/callbacks", Agent),
        Page("/my-tasks/1", Agent, Supervisor),
        Page("/work-orders", Supervisor, Administrator),
        Api("/api/work-orders", Supervisor, Administrator),
        Api("/api/work-orders/export?format=csv", Supervisor, Administrator),
        Api("/api/blacklist/export?format=csv", Supervisor, Administrator),
        Page("/admin/questionnaires", Administrator, Supervisor),
        Page("/admin/offers", Administrator),
        Page("/callbacks/new-subscribers", Supervisor, Administrator),
        Page("/campaigns/special", Supervisor, Administrator),
        Api("/api/offers/S00000004", Agent, Supervisor, Administrator),
        Page("/sms", Supervisor, Administrator),
        Page("/blacklist", Supervisor, Administrator),
        Page("/materials", [.. All]),
        Api("/api/sms/sends", Supervisor, Administrator),
        Api("/api/sms/sends/export?format=csv", Supervisor, Administrator),
    ];

    public static TheoryData<string> Routes => new(Matrix.Select(r => r.Route));

    private static readonly ConcurrentDictionary<(Uri, string), Lazy<Task<HttpClient>>> Clients = new();

    /// <summary>One signed-in client per account and portal, shared by the tests of this class.</summary>
    public static Task<HttpClient> ClientFor(PortalHost portal, string account) =>
        Clients.GetOrAdd((portal.BaseAddress, account), key => new Lazy<Task<HttpClient>>(() => PortalSignIn.SignedInAsync(key.Item1, key.Item2))).Value;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_role_gets_exactly_what_the_matrix_allows(string route)
    {
        var rule = Matrix.Single(r => r.Route == route);
        var wrong = new List<string>();
        foreach (var role in All)
        {
            var http = await ClientFor(portal, PortalSignIn.AccountOfRole[role]);
            using var response = await http.GetAsync(route.TrimStart('/'));
            var expected = rule.Allowed.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected)
            {
                wrong.Add($"{role}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        using var anonymous = PortalSignIn.NewClient(portal.BaseAddress);
        using var refused = await anonymous.GetAsync(route.TrimStart('/'));
        var location = refused.Headers.Location?.ToString() ?? "";
        var anonymousOk = rule.Kind switch
        {
            Kind.Public => refused.StatusCode == HttpStatusCode.OK,
            Kind.Api => refused.StatusCode == HttpStatusCode.Unauthorized,
            _ => refused.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/signin", StringComparison.Ordinal),
        };
        if (!anonymousOk)
        {
            wrong.Add($"anonymous: got {(int)refused.StatusCode} {location}");
        }

        Assert.True(wrong.Count == 0, $"{route}:\n{string.Join('\n', wrong)}");
    }

    [Theory]
    [InlineData("admin", "/operations")]
    [InlineData("leader", "/overview")]
    [InlineData("manager.hz", "/overview")]
    [InlineData("manager.nb", "/overview")]
    [InlineData("analyst", "/overview")]
    [InlineData("user", "/overview")]
    [InlineData("supervisor.hz", "/call-lists")]
    [InlineData("agent.hz1", "/my-tasks")]
    public async Task The_root_sends_each_role_to_its_start_page(string account, string start)
    {
        var http = await ClientFor(portal, account);

        using var response = await http.GetAsync("");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(start, response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("manager.nb", "574")]
    [InlineData("manager.hz", "571")]
    public async Task A_city_manager_reads_only_their_own_city_in_the_kpi_overview(string account, string city)
    {
        var http = await ClientFor(portal, account);

        var rows = JsonDocument.Parse(await http.GetStringAsync("api/overview/kpis")).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("cityCode").GetString()).ToList();
        var page = await http.GetStringAsync("overview");

        Assert.NotEmpty(rows);
        Assert.All(rows, c => Assert.Equal(city, c));
        var other = city == "574" ? "Hangzhou" : "Ningbo";
        Assert.Contains(city == "574" ? "Ningbo" : "Hangzhou", page);
        Assert.DoesNotContain(other, page);
        Assert.DoesNotContain("Whole province", page);
    }

    [Fact]
    public async Task A_province_role_reads_every_city_and_the_province_row()
    {
        var http = await ClientFor(portal, "leader");

        var cities = JsonDocument.Parse(await http.GetStringAsync("api/overview/kpis")).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("cityCode").GetString()!).Distinct().Order().ToList();

        Assert.Equal([.. Enumerable.Range(570, 11).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)), "ALL"], cities);
    }

    [Fact]
    public async Task A_refused_page_is_audited_by_its_route_and_the_user()
    {
        var leader = await ClientFor(portal, "leader");
        using var refused = await leader.GetAsync("admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var admin = await ClientFor(portal, "admin");
        var denials = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=denied&user=leader")).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("target").GetString(), e.GetProperty("outcome").GetString())).ToList();

        Assert.Contains(("/admin/users", "denied"), denials);
    }

    [Fact]
    public async Task The_audit_export_holds_the_entries_the_audit_filters_select_and_is_audited_itself()
    {
        var leader = await ClientFor(portal, "leader");
        using (var refused = await leader.GetAsync("admin/teams"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var admin = await ClientFor(portal, "admin");
        var listed = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=denied&user=leader")).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("target").GetString() ?? "").ToList();

        var csv = ExportCsv.Table(await admin.GetStringAsync("api/admin/audit/export?action=denied&user=leader&format=csv"));
        var target = Array.IndexOf(csv[0], "Target");
        Assert.True(target >= 0, string.Join(',', csv[0]));
        Assert.Contains("/admin/teams", listed);
        Assert.Equal(listed, csv.Skip(1).Select(r => r[target]).ToList());

        var exports = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=export&user=admin")).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("target").GetString()).ToList();
        Assert.Contains("audit", exports);
    }
}
