using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Portal.Features.Access;

namespace RetentionAnalytics.Tests.Access;

public sealed class GroupRoleMapperTests
{
    private static readonly GroupRoleMapper Mapper = new(
    [
        new GroupMapping { Group = "CN=RA-Leaders,OU=Groups,DC=corp,DC=example", Roles = ["leader"], Province = true },
        new GroupMapping { Group = "CN=RA-Managers-571,OU=Groups,DC=corp,DC=example", Roles = ["city_manager"], Cities = ["571"] },
        new GroupMapping { Group = "CN=RA-Managers-574,OU=Groups,DC=corp,DC=example", Roles = ["city_manager"], Cities = ["574"] },
        new GroupMapping { Group = "ra-agents-hz", Roles = ["agent"], Cities = ["571"], TeamId = "T571-RET" },
        new GroupMapping { Group = "ra-analysts", Roles = ["analyst", "user"], Province = true },
    ]);

    [Fact]
    public void A_city_group_gives_its_role_and_only_its_city()
    {
        var profile = Mapper.Map(["CN=RA-Managers-574,OU=Groups,DC=corp,DC=example", "CN=Printers,DC=corp,DC=example"], "Li Ming");

        Assert.Equal(["city_manager"], profile.Roles);
        Assert.False(profile.Province);
        Assert.Equal(["574"], profile.Cities);
        Assert.False(profile.Scope.Allows("571"));
    }

    [Fact]
    public void Several_groups_give_the_union_of_roles_and_cities()
    {
        var profile = Mapper.Map(["CN=RA-Managers-571,OU=Groups,DC=corp,DC=example", "CN=RA-Managers-574,OU=Groups,DC=corp,DC=example", "ra-agents-hz"], "x");

        Assert.Equal(["agent", "city_manager"], profile.Roles);
        Assert.Equal(["571", "574"], profile.Cities);
        Assert.Equal("T571-RET", profile.TeamId);
    }

    [Fact]
    public void A_province_group_wins_over_city_groups()
    {
        var profile = Mapper.Map(["ra-agents-hz", "CN=RA-Leaders,OU=Groups,DC=corp,DC=example"], "x");

        Assert.True(profile.Province);
        Assert.Empty(profile.Cities);
        Assert.True(profile.Scope.Allows("579"));
    }

    [Fact]
    public void Group_names_match_without_case_and_surrounding_spaces()
    {
        var profile = Mapper.Map(["  cn=ra-leaders,ou=groups,dc=corp,dc=example "], "x");

        Assert.Equal(["leader"], profile.Roles);
    }

    [Fact]
    public void No_matching_group_gives_no_role_and_no_scope()
    {
        var profile = Mapper.Map(["CN=Everyone,DC=corp,DC=example"], "x");

        Assert.Empty(profile.Roles);
        Assert.True(profile.Scope.IsEmpty);
        Assert.Equal(RegionScope.None.Province, profile.Scope.Province);
    }

    [Fact]
    public void A_mapping_to_an_unknown_role_stops_the_portal_at_start()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            new GroupRoleMapper([new GroupMapping { Group = "ra-admins", Roles = ["superuser"] }]));

        Assert.Contains("superuser", ex.Message);
    }
}
