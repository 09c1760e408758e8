using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// The warehouses of two portal nodes that share one operational database: with PostgreSQL each node has its own file;
/// without it there is one process and one file, so the second node is the first.
/// </summary>
public abstract class TwoNodes : IDisposable
{
    private readonly List<TestWarehouse> _warehouses = [];

    protected TestWarehouse First { get; }
    protected TestWarehouse Second { get; }

    protected TwoNodes(OpsOptions? ops)
    {
        // the portal's mapping of snake_case columns (WarehouseSetup)
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        First = Open(ops);
        Second = ops is null ? First : Open(ops);
    }

    private TestWarehouse Open(OpsOptions? ops)
    {
        var warehouse = new TestWarehouse(ops: ops);
        _warehouses.Add(warehouse);
        return warehouse;
    }

    public void Dispose()
    {
        foreach (var warehouse in _warehouses)
        {
            warehouse.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
