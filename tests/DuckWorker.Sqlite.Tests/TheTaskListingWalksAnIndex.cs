using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite.Tests;

/// <summary>
/// <c>duck tasks list</c> and the console's board ask for a page of the newest tasks, filtered or not. However
/// many tasks the file holds, SQLite must find that page by walking an index from its newest end, never by
/// reading and sorting the whole table: its plan has an index and no sort of its own.
/// </summary>
public sealed class TheTaskListingWalksAnIndex : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-sqlite-listing-").FullName;
    private readonly SqliteDatabase database;

    public TheTaskListingWalksAnIndex() => database = SqliteStoreProvider.Open(Path.Join(folder, "duck.db"));

    public static TheoryData<AgentTaskStatus?, string?, bool, bool> EveryFilter()
    {
        var filters = new TheoryData<AgentTaskStatus?, string?, bool, bool>();
        foreach (var status in new AgentTaskStatus?[] { null, AgentTaskStatus.WaitingForApproval })
        {
            foreach (var workspace in new[] { null, "/w" })
            {
                foreach (var from in new[] { false, true })
                {
                    foreach (var before in new[] { false, true })
                    {
                        filters.Add(status, workspace, from, before);
                    }
                }
            }
        }

        return filters;
    }

    [Theory]
    [MemberData(nameof(EveryFilter))]
    public async Task EveryFilterOfTheListingSearchesTheIndexOfItsCriteriaWithoutASort(AgentTaskStatus? status, string? workspace, bool from, bool before)
    {
        var filter = new TaskFilter(status, workspace, from ? DateTimeOffset.UnixEpoch : null, before ? DateTimeOffset.UnixEpoch.AddDays(1) : null);

        var plan = await database.RunAsync(connection => PlanAsync(connection, SqliteTaskStore.ListingSql(filter)), TestContext.Current.CancellationToken);

        // One equality is enough to narrow the walk: a workspace is the narrower of the two where both are set.
        var (index, narrowed) = workspace is not null ? ("tasks_by_workspace_created", new List<string> { "workspace=?" })
            : status is not null ? ("tasks_by_status_created", ["status=?"])
            : ("tasks_by_created", []);
        narrowed.AddRange(new[] { (from, "created_at>?"), (before, "created_at<?") }.Where(bound => bound.Item1).Select(bound => bound.Item2));
        Assert.Equal(
            narrowed.Count == 0 ? $"SCAN tasks USING INDEX {index}" : $"SEARCH tasks USING INDEX {index} ({string.Join(" AND ", narrowed)})",
            Assert.Single(plan));
    }

    [Fact]
    public async Task TheListingReturnsTheNewestTasksOfItsFilterFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        var tasks = new SqliteTaskStore(database);
        for (var i = 0; i < 6; i++)
        {
            var at = DateTimeOffset.UnixEpoch.AddMinutes(i);
            await tasks.CreateAsync(
                new AgentTask
                {
                    TaskId = $"t{i}",
                    JobId = $"j{i}",
                    Message = "m",
                    Workspace = i % 2 == 0 ? "/even" : "/odd",
                    Status = i % 3 == 0 ? AgentTaskStatus.Completed : AgentTaskStatus.Running,
                    CreatedAt = at,
                    UpdatedAt = at,
                },
                ct);
        }

        var all = await tasks.ListAsync(new TaskFilter(), 4, ct);
        var even = await tasks.ListAsync(new TaskFilter(Workspace: "/even"), 10, ct);
        var completedEven = await tasks.ListAsync(new TaskFilter(AgentTaskStatus.Completed, "/even"), 10, ct);
        var between = await tasks.ListAsync(new TaskFilter(CreatedFrom: DateTimeOffset.UnixEpoch.AddMinutes(1), CreatedBefore: DateTimeOffset.UnixEpoch.AddMinutes(4)), 10, ct);

        Assert.Equal(["t5", "t4", "t3", "t2"], all.Select(t => t.TaskId));
        Assert.Equal(["t4", "t2", "t0"], even.Select(t => t.TaskId));
        Assert.Equal(["t0"], completedEven.Select(t => t.TaskId));
        Assert.Equal(["t3", "t2", "t1"], between.Select(t => t.TaskId));
    }

    public void Dispose()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<List<string>> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        return await explain.ReadAllAsync(row => row.GetString(3));
    }
}
