using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Tests.Customers;

/// <summary>Search by every key kind, exact and by prefix, inside the region scope; typed input checked.</summary>
[Collection(CustomersCollection.Name)]
public sealed class CustomerSearchTests(CustomersFixture f)
{
    private sealed record Keys(string SubscriberId, string Msisdn, string Imsi, string CustomerId, string CityCode);

    private Keys KeysOf(string subscriberId) => f.Warehouse.Query<Keys>("""
        select subscriber_id as SubscriberId, msisdn as Msisdn, imsi as Imsi, customer_id as CustomerId, city_code as CityCode
        from dw.dim_subscriber where subscriber_id = $id and is_current
        """, new { id = subscriberId }).Single();

    private string AgreementOf(string subscriberId) => f.Warehouse.Scalar<string>(
        "select min(agreement_id) from dw.fct_agreement where subscriber_id = $id", new { id = subscriberId });

    public static TheoryData<string> KeyKinds => ["msisdn", "imsi", "customer", "contract", "subscriber"];

    private string KeyValue(string kind, string subscriberId) => kind switch
    {
        "msisdn" => KeysOf(subscriberId).Msisdn,
        "imsi" => KeysOf(subscriberId).Imsi,
        "customer" => KeysOf(subscriberId).CustomerId,
        "contract" => AgreementOf(subscriberId),
        "subscriber" => subscriberId,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void An_exact_key_of_each_kind_finds_its_subscriber_first(string kind)
    {
        var key = KeyValue(kind, f.Focus);

        var result = f.Search.Search(key, CustomersFixture.AgentHangzhou);

        Assert.True(result.IsValid);
        Assert.NotEqual(SearchKeyKind.Any, result.Kind);
        // exact matches lead (a customer number matches each of the customer's lines exactly)
        var exact = result.Rows.TakeWhile(r => r.IsExact).ToList();
        Assert.All(result.Rows.Skip(exact.Count), r => Assert.False(r.IsExact));
        var row = Assert.Single(exact, r => r.SubscriberId == f.Focus);
        Assert.Equal(kind, row.MatchedKind);
        if (kind != "customer")
        {
            Assert.Single(exact);
        }
        // the row shows the subscriber's current state
        var keys = KeysOf(f.Focus);
        Assert.Equal(keys.CustomerId, row.CustomerId);
        Assert.Equal(keys.Msisdn, row.Msisdn);
        Assert.Equal("571", row.CityCode);
        Assert.Equal("Hangzhou", row.CityName);
        Assert.Equal(f.Warehouse.Scalar<string>("select plan_code from dw.dim_subscriber where subscriber_id = $id and is_current", new { id = f.Focus }), row.PlanCode);
    }

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void A_prefix_of_each_kind_finds_the_subscriber_among_at_most_fifty_matching_rows(string kind)
    {
        var full = KeyValue(kind, f.Focus);
        // long enough to be selective in a 3,000-subscriber province, short enough to be a real prefix
        var prefix = full[..(full.Length - 2)];

        var result = f.Search.Search(prefix, CustomersFixture.AgentHangzhou);

        Assert.True(result.IsValid);
        Assert.InRange(result.Rows.Count, 1, CustomerSearch.MaxRows);
        Assert.Contains(result.Rows, r => r.SubscriberId == f.Focus);
        Assert.All(result.Rows, r => Assert.False(r.IsExact));
        // every row really matches the prefix on the kind it says, and lies in the agent's city
        var expected = f.Warehouse.Query<string>("""
            select s.subscriber_id from dw.dim_subscriber as s
            where s.is_current and s.city_code = '571'
              and (($kind = 'msisdn' and starts_with(s.msisdn, $p)) or ($kind = 'imsi' and starts_with(s.imsi, $p))
                or ($kind = 'customer' and starts_with(s.customer_id, $p)) or ($kind = 'subscriber' and starts_with(s.subscriber_id, $p))
                or ($kind = 'contract' and s.subscriber_id in (select subscriber_id from dw.fct_agreement where starts_with(agreement_id, $p))))
            order by 1
            """, new { kind, p = prefix });
        Assert.Equal(expected.Take(CustomerSearch.MaxRows).Count(), result.Rows.Count);
        Assert.Equal(expected.Count > CustomerSearch.MaxRows, result.Truncated);
        if (!result.Truncated)
        {
            Assert.Equal(expected, result.Rows.Select(r => r.SubscriberId).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_search_key_table_holds_each_current_subscribers_four_keys_and_every_contract_number()
    {
        var keys = f.Warehouse.Query<(string Kind, long Keys)>(
            "select key_kind, count(*) from dw.subscriber_search_key group by 1 order by 1").ToDictionary(k => k.Kind, k => k.Keys);
        var subscribers = f.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber where is_current");

        Assert.Equal(f.Warehouse.Scalar<long>("select count(*) from dw.fct_agreement"), keys["contract"]);
        Assert.All(new[] { "msisdn", "imsi", "customer", "subscriber" }, kind => Assert.Equal(subscribers, keys[kind]));
        // and it carries each subscriber's current city, the one the scope filters on
        Assert.Equal(0, f.Warehouse.Scalar<long>("""
            select count(*) from dw.subscriber_search_key as k
            join dw.dim_subscriber as s on s.subscriber_id = k.subscriber_id and s.is_current
            where k.city_code is distinct from s.city_code or k.status is distinct from s.status
            """));
    }

    [Fact]
    public void A_short_prefix_is_cut_at_fifty_rows_exact_matches_first()
    {
        var result = f.Search.Search("S000", CustomersFixture.Analyst);

        Assert.Equal(CustomerSearch.MaxRows, result.Rows.Count);
        Assert.True(result.Truncated);
        // live lines before churned ones
        var churnedAt = result.Rows.Select((r, i) => (r, i)).Where(x => x.r.Status == "churned").Select(x => x.i).DefaultIfEmpty(int.MaxValue).Min();
        Assert.All(result.Rows.Skip(churnedAt == int.MaxValue ? result.Rows.Count : churnedAt), r => Assert.Equal("churned", r.Status));
    }

    [Fact]
    public void A_ningbo_manager_never_finds_a_hangzhou_subscriber_by_any_key()
    {
        foreach (var kind in new[] { "msisdn", "imsi", "customer", "contract", "subscriber" })
        {
            var result = f.Search.Search(KeyValue(kind, f.Focus), CustomersFixture.ManagerNingbo);
            Assert.True(result.IsValid);
            Assert.Empty(result.Rows);
        }
        // and a broad prefix returns Ningbo subscribers only
        var broad = f.Search.Search("S000", CustomersFixture.ManagerNingbo);
        Assert.NotEmpty(broad.Rows);
        Assert.All(broad.Rows, r => Assert.Equal("574", r.CityCode));
    }

    [Fact]
    public void No_scope_finds_nothing()
    {
        var result = f.Search.Search(KeysOf(f.Focus).Msisdn, CustomersFixture.AgentHangzhou with { Scope = Core.Access.RegionScope.None });
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Phone_numbers_in_results_are_masked_for_users_who_do_not_work_with_customers()
    {
        var msisdn = KeysOf(f.Focus).Msisdn;

        var masked = f.Search.Search(msisdn, CustomersFixture.Analyst).Rows[0];
        var full = f.Search.Search(msisdn, CustomersFixture.AgentHangzhou).Rows[0];

        Assert.Equal(IdentifierMask.Phone(msisdn), masked.Msisdn);
        Assert.Equal(msisdn, full.Msisdn);
    }

    [Theory]
    [InlineData("", SearchKeyProblem.Empty)]
    [InlineData("   ", SearchKeyProblem.Empty)]
    [InlineData("13", SearchKeyProblem.TooShort)]
    [InlineData("1 3", SearchKeyProblem.TooShort)]
    [InlineData("138001380001380013800", SearchKeyProblem.TooLong)]
    [InlineData("13800*", SearchKeyProblem.InvalidCharacters)]
    [InlineData("138%", SearchKeyProblem.InvalidCharacters)]
    [InlineData("C0000_1", SearchKeyProblem.InvalidCharacters)]
    [InlineData("+1 555 0100", SearchKeyProblem.InvalidCharacters)]
    [InlineData("张三", SearchKeyProblem.InvalidCharacters)]
    [InlineData("' or 1=1 --", SearchKeyProblem.InvalidCharacters)]
    [InlineData("1'; drop table dw.dim_subscriber; --", SearchKeyProblem.InvalidCharacters)]
    public void Invalid_input_is_refused_with_its_reason_and_no_rows(string typed, SearchKeyProblem problem)
    {
        var result = f.Search.Search(typed, CustomersFixture.Analyst);

        Assert.False(result.IsValid);
        Assert.Equal(problem, result.Problem);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Injection_like_input_returns_nothing_and_changes_nothing()
    {
        var before = f.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber");

        foreach (var typed in new[] { "' or 1=1 --", "S0' or '1'='1", "AG0 or 1=1", "C00000001 union select" })
        {
            Assert.Empty(f.Search.Search(typed, CustomersFixture.Analyst).Rows);
        }

        Assert.Equal(before, f.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber"));
    }

    [Theory]
    [InlineData("13812345678", "13812345678", SearchKeyKind.Msisdn)]
    [InlineData("138 1234 5678", "13812345678", SearchKeyKind.Msisdn)]
    [InlineData("138-1234-5678", "13812345678", SearchKeyKind.Msisdn)]
    [InlineData("+86 138 1234 5678", "13812345678", SearchKeyKind.Msisdn)]
    [InlineData("1381", "1381", SearchKeyKind.Msisdn)]
    [InlineData("460021234583728", "460021234583728", SearchKeyKind.Imsi)]
    [InlineData("46002", "46002", SearchKeyKind.Imsi)]
    [InlineData("123456789012", "123456789012", SearchKeyKind.Imsi)]
    [InlineData("ag0000002401", "AG0000002401", SearchKeyKind.ContractNumber)]
    [InlineData("AG00", "AG00", SearchKeyKind.ContractNumber)]
    [InlineData("c00000002", "C00000002", SearchKeyKind.CustomerNumber)]
    [InlineData("S00000002", "S00000002", SearchKeyKind.SubscriberId)]
    [InlineData("98765", "98765", SearchKeyKind.Any)]
    [InlineData("XY123", "XY123", SearchKeyKind.Any)]
    public void The_key_kind_is_detected_from_its_shape(string typed, string normalised, SearchKeyKind kind)
    {
        var (key, problem) = SearchKey.Parse(typed);

        Assert.Null(problem);
        Assert.Equal(new SearchKey(normalised, kind), key);
    }
}
