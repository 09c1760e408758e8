using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>
/// With the operational data on PostgreSQL, the Data Protection key ring (cookies, antiforgery tokens, device cookies)
/// is kept there too, under one application name, so that every portal node reads what another issued. With DuckDB
/// the framework's defaults stay: one process, its keys on disk.
/// </summary>
public static class SharedKeyRing
{
    public const string ApplicationName = "RetentionAnalytics";

    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<Db>((options, db) =>
        {
            if (db.Ops.IsPostgres)
            {
                options.XmlRepository = new PostgresXmlRepository(db.Ops);
            }
        });
        services.AddOptions<DataProtectionOptions>().Configure<Db>((options, db) =>
        {
            // the default discriminator is the install folder, which differs between machines
            if (db.Ops.IsPostgres)
            {
                options.ApplicationDiscriminator = ApplicationName;
            }
        });
        return services;
    }

    private sealed class PostgresXmlRepository(OpsDb ops) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var c = ops.Connect();
            return c.Query<string>(ops.Sql.Get("access/data_protection_keys.sql")).Select(XElement.Parse).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var c = ops.Connect();
            c.Execute(ops.Sql.Get("access/data_protection_key_insert.sql"),
                new { friendly_name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
        }
    }
}
