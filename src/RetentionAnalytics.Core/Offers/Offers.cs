using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Refusals;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Offers;

/// <summary>
/// A retention offer and its rules. Lists are comma-separated codes, null meaning "any"; the rank of an eligible offer
/// is weight + scenario bonus (a listed scenario matches) + tier bonus (a listed value tier matches).
/// </summary>
public sealed record Offer(
    string OfferId, string NameEn, string NameDe, string NameZh, string? Description, double MonthlyValue, double DiscountPct,
    string? Plans, string? ValueTiers, string? Scenarios, string? PaymentTypes, int? MinTenureMonths, int? MaxTenureMonths,
    double Weight, double ScenarioBonus, double TierBonus, bool Active)
{
    public string Name(string language) => language switch { "de" => NameDe, "zh" => NameZh, _ => NameEn };
}

/// <summary>
/// An eligible offer for one subscriber, best first, with the rules that made it eligible: <see cref="WhyEligible"/> in
/// English, <see cref="Why"/> by rule for wording in the reader's language.
/// </summary>
public sealed record OfferSuggestion(
    string OfferId, string Name, string? Description, double MonthlyValue, double DiscountPct, double Rank, string WhyEligible,
    EligibleBecause Why);

/// <summary>
/// The rules an offer matched (null: the offer has no such rule): the plan's name, the value tier and payment type
/// codes, the tenure in months, the matched scenarios' names in the viewer's language. None at all: open to everyone.
/// </summary>
public sealed record EligibleBecause(string? Plan, string? ValueTier, string? PaymentType, int? TenureMonths, string? Scenarios)
{
    public bool OpenToEveryone => Plan is null && ValueTier is null && PaymentType is null && TenureMonths is null && Scenarios is null;
}

/// <summary>Why an offer is refused (texts: OfferRefusal_* in the portal's refusal resources).</summary>
public enum OfferRefusal { OfferId, Names, Value, Tenure, Weights, ValueTiers, PaymentTypes, Codes }

public sealed class OfferException(OfferRefusal code, string message, params object[] args) : RefusalException(code, message, args);

/// <summary>
/// The offers and their rules: seeded once from data-samples/ops/offers.yaml, then edited by administrators. They are
/// operational data (<see cref="Db.Ops"/>).
/// </summary>
public sealed class OfferCatalog(Db db, AuditLog audit)
{
    public const string SeedPath = "data-samples/ops/offers.yaml";
    private static readonly string[] Tiers = ["high", "mid", "low"];
    private static readonly string[] PaymentTypeCodes = ["prepaid", "postpaid"];

    public int EnsureSeeded(string? seedFile = null)
    {
        seedFile ??= Path.Combine(db.Options.ArtefactRoot, SeedPath);
        using var c = db.Ops.Connect();
        if (!File.Exists(seedFile) || c.ExecuteScalar<long>("select count(*) from ops.offer") > 0)
        {
            return 0;
        }
        var seed = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<SeedFile>(File.ReadAllText(seedFile));
        var offers = seed.Offers.Select(o => new Offer(o.OfferId, o.Name.En, o.Name.De ?? o.Name.En, o.Name.Zh ?? o.Name.En,
            o.Description, o.MonthlyValue, o.DiscountPct, Join(o.Plans), Join(o.ValueTiers), Join(o.Scenarios), Join(o.PaymentTypes),
            o.MinTenureMonths, o.MaxTenureMonths, o.Weight, o.ScenarioBonus, o.TierBonus, true)).ToList();
        using var tx = c.BeginTransaction();
        foreach (var offer in offers)
        {
            Check(offer);
            Insert(db.Ops, c, tx, offer, "system");
        }
        tx.Commit();
        return offers.Count;
    }

    public IReadOnlyList<Offer> All()
    {
        using var c = db.Ops.Connect();
        return c.Query<Offer>(Select + " order by offer_id").ToList();
    }

    /// <summary>Creates or replaces an offer after checking its rules.</summary>
    public void Save(Offer offer, string username)
    {
        offer = Normalised(offer);
        Check(offer);
        using var c = db.Ops.Connect();
        using var tx = c.BeginTransaction();
        // replace the row (no keys on updated tables in DuckDB, see 005)
        c.Execute(db.Ops.Text("delete from ops.offer where offer_id = $OfferId"), new { offer.OfferId }, tx);
        Insert(db.Ops, c, tx, offer, username);
        tx.Commit();
        audit.Write(username, "offer_change", offer.OfferId, detail: offer.Active ? "saved" : "saved, inactive");
    }

    public void Delete(string offerId, string username)
    {
        using var c = db.Ops.Connect();
        if (c.Execute(db.Ops.Text("delete from ops.offer where offer_id = $offerId"), new { offerId }) > 0)
        {
            audit.Write(username, "offer_change", offerId, detail: "deleted");
        }
    }

    /// <summary>The first problem with an offer's rules, as an exception; lists are normalised by the caller.</summary>
    public static void Check(Offer o)
    {
        static bool IsCode(string s) => s.Length is > 0 and <= 40 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-');
        if (!IsCode(o.OfferId))
        {
            throw new OfferException(OfferRefusal.OfferId, "the offer id needs 1..40 letters, digits, _ or -", 40);
        }
        if (string.IsNullOrWhiteSpace(o.NameEn) || string.IsNullOrWhiteSpace(o.NameDe) || string.IsNullOrWhiteSpace(o.NameZh))
        {
            throw new OfferException(OfferRefusal.Names, $"{o.OfferId}: names in English, German and Chinese are needed", o.OfferId);
        }
        if (o.MonthlyValue < 0 || o.DiscountPct is < 0 or > 100)
        {
            throw new OfferException(OfferRefusal.Value, $"{o.OfferId}: monthly value must be ≥ 0 and discount 0..100 %", o.OfferId);
        }
        if (o.MinTenureMonths < 0 || o.MaxTenureMonths < 0 || o.MinTenureMonths > o.MaxTenureMonths)
        {
            throw new OfferException(OfferRefusal.Tenure, $"{o.OfferId}: tenure months must be ≥ 0 with min ≤ max", o.OfferId);
        }
        if (o.Weight < 0 || o.ScenarioBonus < 0 || o.TierBonus < 0)
        {
            throw new OfferException(OfferRefusal.Weights, $"{o.OfferId}: weight and bonuses must be ≥ 0", o.OfferId);
        }
        if (Split(o.ValueTiers).Any(t => !Tiers.Contains(t)))
        {
            throw new OfferException(OfferRefusal.ValueTiers, $"{o.OfferId}: value tiers are high, mid, low", o.OfferId);
        }
        if (Split(o.PaymentTypes).Any(t => !PaymentTypeCodes.Contains(t)))
        {
            throw new OfferException(OfferRefusal.PaymentTypes, $"{o.OfferId}: payment types are prepaid, postpaid", o.OfferId);
        }
        if (Split(o.Plans).Concat(Split(o.Scenarios)).Any(code => !IsCode(code)))
        {
            throw new OfferException(OfferRefusal.Codes, $"{o.OfferId}: plans and scenarios are codes (letters, digits, _ or -)", o.OfferId);
        }
    }

    /// <summary>Lists trimmed, de-duplicated and comma-joined; an empty list is null ("any").</summary>
    public static Offer Normalised(Offer o) => o with
    {
        OfferId = o.OfferId.Trim(),
        Plans = Join(Split(o.Plans)), ValueTiers = Join(Split(o.ValueTiers)), Scenarios = Join(Split(o.Scenarios)),
        PaymentTypes = Join(Split(o.PaymentTypes)),
    };

    public static IReadOnlyList<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    private static string? Join(IEnumerable<string>? items) =>
        items?.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList() is { Count: > 0 } list ? string.Join(',', list) : null;

    private static void Insert(OpsDb ops, System.Data.IDbConnection c, System.Data.IDbTransaction tx, Offer o, string username) => c.Execute(ops.Text("""
        insert into ops.offer (offer_id, name_en, name_de, name_zh, description, monthly_value, discount_pct, plans, value_tiers,
            scenarios, payment_types, min_tenure_months, max_tenure_months, weight, scenario_bonus, tier_bonus, active,
            updated_at, updated_by)
        values ($OfferId, $NameEn, $NameDe, $NameZh, $Description, $MonthlyValue, $DiscountPct, $Plans, $ValueTiers,
            $Scenarios, $PaymentTypes, $MinTenureMonths, $MaxTenureMonths, $Weight, $ScenarioBonus, $TierBonus, $Active,
            now(), $username)
        """), new
    {
        o.OfferId, o.NameEn, o.NameDe, o.NameZh, o.Description, o.MonthlyValue, o.DiscountPct, o.Plans, o.ValueTiers,
        o.Scenarios, o.PaymentTypes, o.MinTenureMonths, o.MaxTenureMonths, o.Weight, o.ScenarioBonus, o.TierBonus, o.Active, username,
    }, tx);

    private const string Select = """
        select offer_id as OfferId, name_en as NameEn, name_de as NameDe, name_zh as NameZh, description as Description,
               monthly_value as MonthlyValue, discount_pct as DiscountPct, plans as Plans, value_tiers as ValueTiers,
               scenarios as Scenarios, payment_types as PaymentTypes, min_tenure_months as MinTenureMonths,
               max_tenure_months as MaxTenureMonths, weight as Weight, scenario_bonus as ScenarioBonus, tier_bonus as TierBonus,
               active as Active
        from ops.offer
        """;

    private sealed class SeedFile
    {
        public List<SeedOffer> Offers { get; set; } = [];
    }

    private sealed class SeedOffer
    {
        public string OfferId { get; set; } = "";
        public Questionnaires.LocalText Name { get; set; } = new();
        public string? Description { get; set; }
        public double MonthlyValue { get; set; }
        public double DiscountPct { get; set; }
        public List<string>? Plans { get; set; }
        public List<string>? ValueTiers { get; set; }
        public List<string>? Scenarios { get; set; }
        public List<string>? PaymentTypes { get; set; }
        public int? MinTenureMonths { get; set; }
        public int? MaxTenureMonths { get; set; }
        public double Weight { get; set; } = 1;
        public double ScenarioBonus { get; set; }
        public double TierBonus { get; set; }
    }
}

/// <summary>
/// The offers a subscriber is eligible for, best first, each with why: the subscriber's newest feature row (plan,
/// value tier, payment type, tenure) against every active offer's rules, and the scenarios behind the contact.
/// </summary>
public sealed class OfferSuggestions(Db db, OfferCatalog catalog)
{
    private static readonly string[] ActiveOfferColumns =
    [
        "offer_id", "name_en", "name_de", "name_zh", "description", "monthly_value", "discount_pct", "plans", "value_tiers",
        "scenarios", "payment_types", "min_tenure_months", "max_tenure_months", "weight", "scenario_bonus", "tier_bonus",
    ];

    private sealed record Row(string OfferId, string NameEn, string NameDe, string NameZh, string? Description,
        double MonthlyValue, double DiscountPct, double Rank, string WhyEligible, string? WhyPlan, string? WhyTier,
        string? WhyPaymentType, int? WhyTenureMonths, string? WhyScenarios);

    /// <summary>Null when the subscriber is unknown or outside the viewer's scope (the caller answers 404).</summary>
    public IReadOnlyList<OfferSuggestion>? For(string subscriberId, IReadOnlyCollection<string> scenarioIds, CustomerViewer viewer)
    {
        using var c = db.Connect();
        var p = viewer.Scope.AddTo(new DynamicParameters());
        p.Add("subscriber_id", subscriberId);
        var found = c.ExecuteScalar<long>(db.Sql.Get("campaigns/offer_subscriber.sql"), p);
        if (found == 0)
        {
            return null;
        }
        p.Add("scenario_ids", string.Join(',', scenarioIds));
        p.Add("lang", viewer.Language);
        // the offers are operational data, the subscriber's features the warehouse's: the active offers (a catalogue
        // of a few dozen) go beside the features as the temp table active_offer
        c.Execute(db.Sql.Get("campaigns/active_offer_table.sql"));
        OpsDb.Append(c, null, "active_offer", ActiveOfferColumns, catalog.All().Where(o => o.Active).Select(o => new object?[]
        {
            o.OfferId, o.NameEn, o.NameDe, o.NameZh, o.Description, o.MonthlyValue, o.DiscountPct, o.Plans, o.ValueTiers,
            o.Scenarios, o.PaymentTypes, o.MinTenureMonths, o.MaxTenureMonths, o.Weight, o.ScenarioBonus, o.TierBonus,
        }));
        return c.Query<Row>(db.Sql.Get("campaigns/offer_suggestions.sql"), p)
            .Select(r => new OfferSuggestion(r.OfferId, viewer.Language switch { "de" => r.NameDe, "zh" => r.NameZh, _ => r.NameEn },
                r.Description, r.MonthlyValue, r.DiscountPct, Math.Round(r.Rank, 4), r.WhyEligible,
                new EligibleBecause(r.WhyPlan, r.WhyTier, r.WhyPaymentType, r.WhyTenureMonths, r.WhyScenarios)))
            .ToList();
    }

    /// <summary>The scenarios behind a subscriber's open tasks, for a caller that has none at hand (the JSON endpoint).</summary>
    public IReadOnlyList<string> OpenTaskScenarios(string subscriberId, RegionScope scope)
    {
        using var c = db.Connect();
        var p = scope.AddTo(new DynamicParameters());
        p.Add("subscriber_id", subscriberId);
        return c.Query<string>("""
            select distinct unnest(string_split(scenario_ids, ',')) as scenario_id
            from ops.task
            where subscriber_id = $subscriber_id and status not in ('done', 'closed')
                and ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
            order by 1
            """, p).ToList();
    }
}
