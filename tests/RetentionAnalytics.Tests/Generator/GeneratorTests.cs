using System.Security.Cryptography;
using System.Text;
using RetentionAnalytics.Core.Generator;

namespace RetentionAnalytics.Tests.Generator;

public sealed class GeneratorTests
{
    private static Dictionary<string, string> Generate(int seed, string folder)
    {
        ProvinceGenerator.Generate(new GeneratorOptions(400, 3, seed, folder) { DailyDays = 3 });
        return Directory.GetFiles(folder, "*.csv", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
    }

    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        var root = Directory.CreateTempSubdirectory("ra-gen-").FullName;
        try
        {
            var a = Generate(11, Path.Combine(root, "a"));
            var b = Generate(11, Path.Combine(root, "b"));
            var c = Generate(12, Path.Combine(root, "c"));

            Assert.Equal(a, b);
            Assert.NotEqual(a["subscription_20261031.csv"], c["subscription_20261031.csv"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Every_account_manager_a_generated_province_names_is_one_the_generator_lists()
    {
        var root = Directory.CreateTempSubdirectory("ra-gen-").FullName;
        try
        {
            ProvinceGenerator.Generate(new GeneratorOptions(2000, 1, 3, root) { DailyDays = 1, InjectDefects = false });
            var lines = File.ReadAllLines(Path.Combine(root, "subscription_20261031.csv"));
            var column = Array.IndexOf(lines[0].Split(','), "ACCT_MGR_ID");
            var named = lines.Skip(1).Select(l => l.Split(',')[column]).Where(m => m.Length > 0).Distinct().ToList();

            Assert.NotEmpty(named);
            Assert.Empty(named.Except(ProvinceGenerator.AccountManagerIds));
            Assert.Equal(ProvinceGenerator.AccountManagerIds.Count, ProvinceGenerator.AccountManagerIds.Distinct().Count());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Deliveries_come_in_the_encodings_real_ods_files_use()
    {
        var root = Directory.CreateTempSubdirectory("ra-gen-").FullName;
        try
        {
            ProvinceGenerator.Generate(new GeneratorOptions(300, 2, 5, root) { DailyDays = 2 });
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

            var customer = File.ReadAllBytes(Path.Combine(root, "customer_20261031.csv"));
            var strictUtf8 = new UTF8Encoding(false, true);
            Assert.Throws<DecoderFallbackException>(() => strictUtf8.GetString(customer));
            var text = Encoding.GetEncoding(936).GetString(customer);
            Assert.Contains("\r\n", text);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", text);

            var plan = File.ReadAllBytes(Path.Combine(root, "plan_20261031.csv"));
            Assert.Equal([0xEF, 0xBB, 0xBF], plan[..3]);

            var subscription = File.ReadAllBytes(Path.Combine(root, "subscription_20261031.csv"));
            Assert.NotEqual(0xEF, subscription[0]);
            Assert.DoesNotContain("\r\n", strictUtf8.GetString(subscription));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
