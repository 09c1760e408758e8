using System.Globalization;
using System.Text;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// A churn dataset of a layout the product has never seen — one row per customer, spaced headers, a three-valued
/// status, churn categories and reasons, its own geography, N/A blanks, semicolons, decimal commas, GBK, no date in
/// the file name — needs a contract and nothing else.
/// </summary>
public sealed class ContractMappingTests
{
    public const string ChurnContract = """
        extract: churn_snapshot
        description: One row per customer at the snapshot date, as a public churn dataset lays it out.
        file_pattern: '^telecom_customer_churn(?:_(?<seq>\d+))?\.csv$'
        business_date: '2026-01-31'
        encoding: gbk
        delimiter: ';'
        null_tokens: ['N/A', 'NULL', '-']
        keys: [customer_id]
        columns:
          - { name: customer_id, source: Customer ID, required: true }
          - { name: city, source: City, required: true }
          - name: region_code
            type: varchar
            expr: upper(replace("City", ' ', '_'))
          - { name: tenure_months, source: Tenure in Months, type: integer, required: true, min: 0 }
          - name: activation_date
            type: date
            expr: business_date() - to_months(try_cast("Tenure in Months" as integer))
          - name: contract_type
            source: Contract
            map: { Month-to-Month: monthly, One Year: one_year, Two Year: two_year }
            allowed: [monthly, one_year, two_year]
          - { name: monthly_charge, source: Monthly Charge, type: 'decimal(10,2)', decimal_separator: ',', required: true }
          - { name: total_charges, source: Total Charges, type: 'decimal(12,2)', decimal_separator: ',', default: '0' }
          - name: status
            source: Customer Status
            required: true
            map: { Stayed: active, Joined: active, Churned: churned }
            allowed: [active, churned]
          - { name: churned, source: Customer Status, type: boolean, true_values: [Churned], false_values: [Stayed, Joined] }
          - name: churn_category
            source: Churn Category
            required_when: '"Customer Status" = ''Churned'''
            required_if: churn_reason
          - name: churn_reason
            source: Churn Reason
            map: { "Don't know": null }
          - { name: country_code, constant: US }
          - { name: payment_method, source: Payment Method, default: unknown, null_tokens: ['?'] }
        checks:
          - expr: total_charges >= monthly_charge or total_charges = 0
            message: total charges below one month's charge
        """;

    private const string Header = "Customer ID;City;Tenure in Months;Contract;Monthly Charge;Total Charges;Customer Status;Churn Category;Churn Reason;Payment Method";

    [Fact]
    public void A_foreign_churn_file_loads_through_its_contract_alone()
    {
        var contract = ContractCatalog.Parse(ChurnContract);
        using var w = new TestWarehouse(new([contract]));
        var rows = new List<string>();
        // 40 customers: every 4th churned (with category and reason), every 5th joined, the rest stayed
        for (var i = 1; i <= 40; i++)
        {
            var status = i % 4 == 0 ? "Churned" : i % 5 == 0 ? "Joined" : "Stayed";
            var (category, reason) = status == "Churned" ? (i % 8 == 0 ? "Competitor" : "Price", i % 8 == 0 ? "Competitor had better devices" : "Don't know") : ("N/A", "N/A");
            var city = i % 3 == 0 ? "Los Angeles" : i % 3 == 1 ? "San Diego" : "杭州";
            var contractKind = (i % 3) switch { 0 => "Month-to-Month", 1 => "One Year", _ => "Two Year" };
            var total = i == 7 ? "N/A" : (i * 10.5m * 3).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');
            var payment = i % 6 == 0 ? "?" : "Bank Withdrawal";
            rows.Add($"C{i:000};{city};{i};{contractKind};{(10.5m * 3).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',')};{total};{status};{category};{reason};{payment}");
        }
        rows.Add("C041;San Diego;12;One Year;31,50;400,00;Churned;N/A;N/A;Bank Withdrawal");   // churned without a category
        rows.Add("C042;San Diego;12;One Year;31,50;20,00;Stayed;N/A;N/A;Bank Withdrawal");     // fails the row check
        rows.Add("C043;San Diego;-;One Year;31,50;400,00;Stayed;N/A;N/A;Bank Withdrawal");     // tenure missing
        rows.Add("C044;San Diego;12;One Year;31,50;400,00;Stayed;N/A;Moved away;Bank Withdrawal");  // a reason without a category
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Path.Combine(w.Inbox(), "telecom_customer_churn.csv");
        File.WriteAllBytes(file, Encoding.GetEncoding(936).GetBytes(Header + "\r\n" + string.Join("\r\n", rows) + "\r\n"));

        var result = w.Loader.LoadFile(file);

        Assert.True(result.Status == "loaded", result.Message);
        Assert.Equal((44L, 40L, 4L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(new DateOnly(2026, 1, 31), result.BusinessDate);
        Assert.Equal(10, w.Scalar<long>("select count(*) from stg.churn_snapshot where churned"));
        Assert.Equal(10, w.Scalar<long>("select count(*) from stg.churn_snapshot where status = 'churned'"));
        Assert.Equal(30, w.Scalar<long>("select count(*) from stg.churn_snapshot where status = 'active'"));
        Assert.Equal(5, w.Scalar<long>("select count(*) from stg.churn_snapshot where churn_category = 'Competitor'"));
        Assert.Equal(5, w.Scalar<long>("select count(*) from stg.churn_snapshot where churn_category = 'Price' and churn_reason is null"));
        Assert.Equal(30, w.Scalar<long>("select count(*) from stg.churn_snapshot where churn_category is null"));
        Assert.Equal(0m, w.Scalar<decimal>("select total_charges from stg.churn_snapshot where customer_id = 'C007'"));
        Assert.Equal(6, w.Scalar<long>("select count(*) from stg.churn_snapshot where payment_method = 'unknown'"));
        Assert.Equal(40, w.Scalar<long>("select count(*) from stg.churn_snapshot where country_code = 'US'"));
        Assert.Equal(13, w.Scalar<long>("select count(*) from stg.churn_snapshot where region_code = 'LOS_ANGELES'"));
        Assert.Equal(13, w.Scalar<long>("select count(*) from stg.churn_snapshot where city = '杭州'"));
        Assert.Equal(new DateTime(2025, 1, 31), w.Scalar<DateTime>("select activation_date from stg.churn_snapshot where customer_id = 'C012'"));
        Assert.Equal(31.50m, w.Scalar<decimal>("select monthly_charge from stg.churn_snapshot where customer_id = 'C001'"));
        Assert.Equal(14, w.Scalar<long>("select count(*) from stg.churn_snapshot where contract_type = 'one_year'"));

        var rejects = w.Query<(long Line, string Reason)>("select line_number, reason from meta.rejected_row order by 1");
        Assert.Equal((42L, """missing churn_category (required when "Customer Status" = 'Churned')"""), rejects[0]);
        Assert.Equal((43L, "total charges below one month's charge"), rejects[1]);
        Assert.Equal((44L, "missing required tenure_months"), rejects[2]);
        Assert.Equal((45L, "missing churn_category (required when churn_reason has a value)"), rejects[3]);
    }

    [Fact]
    public void Null_tokens_per_contract_and_column_and_a_map_to_null_load_instead_of_rejecting()
    {
        var contract = ContractCatalog.Parse("""
            extract: tnull
            file_pattern: '^tnull_(?<date>\d{8})\.csv$'
            null_tokens: ['N/A']
            columns:
              - { name: id, source: ID, required: true }
              - { name: amount, source: AMOUNT, type: 'decimal(10,2)', min: 0 }
              - { name: note, source: NOTE, null_tokens: ['-'] }
              - { name: flag, source: FLAG, type: boolean, true_values: ['Y'], false_values: ['N'], map: { 'unknown': null } }
            """);
        using var w = new TestWarehouse(new([contract]));
        var file = Path.Combine(w.Inbox(), "tnull_20261031.csv");
        File.WriteAllText(file, "ID,AMOUNT,NOTE,FLAG\n1,N/A,-,unknown\n2,n/a,  ,Y\n3,5.50,hello,N\n4,N/A,N/A,maybe\n");

        var result = w.Loader.LoadFile(file);

        Assert.Equal((4L, 3L, 1L), (result.RowsRead, result.RowsLoaded, result.RowsRejected));
        Assert.Equal(2, w.Scalar<long>("select count(*) from stg.tnull where amount is null"));
        Assert.Equal(2, w.Scalar<long>("select count(*) from stg.tnull where note is null"));
        Assert.Equal(1, w.Scalar<long>("select count(*) from stg.tnull where flag is null"));
        Assert.Contains("flag: 'maybe' is not a known yes/no value", w.Scalar<string>("select reason from meta.rejected_row"));
    }

    [Fact]
    public void The_business_date_comes_from_a_column_when_the_contract_says_so()
    {
        var contract = ContractCatalog.Parse("""
            extract: tsnap
            file_pattern: '^snapshot(?:-(?<seq>\d+))?\.csv$'
            business_date_column: as_of
            keys: [id]
            columns:
              - { name: id, source: ID, required: true }
              - { name: as_of, source: AS_OF, type: date, format: '%d.%m.%Y', required: true }
            """);
        using var w = new TestWarehouse(new([contract]));
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "snapshot.csv"), "ID,AS_OF\n1,31.01.2026\n2,31.01.2026\n");

        var first = w.Loader.LoadFile(Path.Combine(inbox, "snapshot.csv"));
        File.WriteAllText(Path.Combine(inbox, "snapshot-2.csv"), "ID,AS_OF\n1,28.02.2026\n2,28.02.2026\n3,28.02.2026\n");
        var second = w.Loader.LoadFile(Path.Combine(inbox, "snapshot-2.csv"));
        var again = w.Loader.LoadFile(Path.Combine(inbox, "snapshot-2.csv"));

        Assert.Equal(("loaded", (DateOnly?)new DateOnly(2026, 1, 31)), (first.Status, first.BusinessDate));
        Assert.Equal(("loaded", (DateOnly?)new DateOnly(2026, 2, 28)), (second.Status, second.BusinessDate));
        Assert.Equal("duplicate", again.Status);
        Assert.Equal([2L, 3L], w.Query<long>("select count(*) from stg.tsnap group by _business_date order by _business_date"));
    }

    [Fact]
    public void One_source_column_feeds_several_targets()
    {
        var contract = ContractCatalog.Parse("""
            extract: tmulti
            file_pattern: '^tmulti_(?<date>\d{8})\.csv$'
            columns:
              - { name: id, source: ID, required: true }
              - { name: status_code, source: STATUS }
              - { name: status, source: STATUS, map: { A: active, C: churned } }
              - { name: churned, source: STATUS, type: boolean, true_values: [C], false_values: [A] }
            """);
        using var w = new TestWarehouse(new([contract]));
        var file = Path.Combine(w.Inbox(), "tmulti_20261031.csv");
        File.WriteAllText(file, "ID,STATUS\n1,A\n2,C\n");

        w.Loader.LoadFile(file);

        Assert.Equal([("A", "active", false), ("C", "churned", true)],
            w.Query<(string, string, bool)>("select status_code, status, churned from stg.tmulti order by id"));
    }
}
