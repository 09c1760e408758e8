using RetentionAnalytics.Core.Etl.Contracts;

namespace RetentionAnalytics.Tests.Support;

/// <summary>A small contract with one column of every kind, so loader tests do not depend on the ODS catalogue.</summary>
public static class SubscriberContract
{
    public const string Yaml = """
        extract: tsub
        file_pattern: '^tsub_(?<date>\d{8})(?:_(?<seq>\d+))?\.csv$'
        date_format: yyyyMMdd
        cadence: monthly
        encoding: utf-8
        delimiter: ','
        keys: [subscriber_id]
        columns:
          - { name: subscriber_id, source: SUBS_ID, aliases: [SUBSCRIBER_ID], type: varchar, required: true }
          - { name: customer_name, source: CUST_NAME, type: varchar, personal: true }
          - { name: status, source: STATUS, type: varchar, required: true, map: { A: active, S: suspended, C: churned }, allowed: [active, suspended, churned] }
          - { name: activation_date, source: ACTIVATE_DATE, type: date, format: '%Y-%m-%d', required: true }
          - { name: star_level, source: STAR_LEVEL, type: integer, min: 0, max: 7 }
          - { name: monthly_fee, source: MONTHLY_FEE, type: 'decimal(10,2)' }
          - { name: is_5g, source: IS_5G, type: boolean, true_values: ['1'], false_values: ['0'] }
        """;

    public const string Header = "SUBS_ID,CUST_NAME,STATUS,ACTIVATE_DATE,STAR_LEVEL,MONTHLY_FEE,IS_5G";

    /// <summary>A contract folder holding only this contract, for the CLI's --contracts option.</summary>
    public static string WriteFolder(string parent)
    {
        var folder = Path.Combine(parent, "contracts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tsub.yaml"), Yaml);
        return folder;
    }

    public static ContractCatalog Catalog(string encoding = "utf-8") =>
        new([ContractCatalog.Parse(Yaml.Replace("encoding: utf-8", $"encoding: {encoding}"))]);
}
