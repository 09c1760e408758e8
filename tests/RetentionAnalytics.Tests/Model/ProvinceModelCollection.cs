using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Model;

/// <summary>The sample province loaded once for the model and call-list tests that read it.</summary>
[CollectionDefinition(Name)]
public sealed class ProvinceModelCollection : ICollectionFixture<SampleProvinceFixture>
{
    public const string Name = "sample province (model, call lists)";
}
