using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace DuckWorker.Mongo.Tests.Mapping;

/// <summary>Every document the adapter writes, through the bytes the driver sends and back, without a server.</summary>
public sealed class EveryPersistedTypeRoundTripsThroughBson
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void ATaskWithEveryFieldSet()
    {
        var task = new AgentTask
        {
            TaskId = "t1",
            JobId = "j1",
            Message = "summarize «notes» 🦆",
            Workspace = "/work/spaces/notes",
            Debug = true,
            Status = AgentTaskStatus.WaitingForApproval,
            FinalResponse = "done",
            ReasoningContent = "because",
            Error = "none really",
            CreatedAt = Now,
            UpdatedAt = Now.AddMinutes(1),
            Context = [new(ConversationMessage.System, "you are duck"), new(ConversationMessage.User, "summarize"), new(ConversationMessage.Assistant, "ok")],
            Reasoning = ReasoningMode.On,
            Reflect = false,
            ReplyTo = "amq.gen-reply",
            LeaseOwner = "run-a",
            LeaseExpiresAt = Now.AddMinutes(2),
            Attempts = 3,
            CancelRequest = new CancelRequest("alice", "not needed «now»", Now.AddMinutes(3)),
        };

        var document = ThroughBytes(TaskMapping.ToDocument(task));
        var read = TaskMapping.FromDocument(document);

        Assert.Equal(task with { Context = read.Context }, read);
        Assert.Equal(task.Context, read.Context);
        Assert.Equal("t1", document["_id"].AsString);
        Assert.Equal("waiting_for_approval", document["status"].AsString);
        Assert.Equal("on", document["reasoning"].AsString);
        Assert.Equal(BsonType.DateTime, document["leaseExpiresAt"].BsonType);
        Assert.Equal(BsonType.Array, document["context"].BsonType);
        Assert.Equal(BsonType.DateTime, document["cancelRequest"]["at"].BsonType);
        Assert.Equal("alice", document["cancelRequest"]["by"].AsString);
    }

    [Fact]
    public void ATaskWrittenBeforeCancelRequestsExistedHasNone()
    {
        var document = TaskMapping.ToDocument(new AgentTask { TaskId = "t5", JobId = "j5", Message = "m", CreatedAt = Now, UpdatedAt = Now });
        Assert.Equal(BsonNull.Value, document["cancelRequest"]);
        document.Remove("cancelRequest");

        Assert.Null(TaskMapping.FromDocument(ThroughBytes(document)).CancelRequest);
    }

    [Fact]
    public void TheCancelRequestIsReadFromAProjectionOfTheTaskAlone()
    {
        var request = new CancelRequest("alice", "not needed", Now.AddMinutes(3));
        var asked = TaskMapping.ToDocument(new AgentTask { TaskId = "t7", JobId = "j7", Message = "m", CreatedAt = Now, UpdatedAt = Now, CancelRequest = request });
        var unasked = TaskMapping.ToDocument(new AgentTask { TaskId = "t8", JobId = "j8", Message = "m", CreatedAt = Now, UpdatedAt = Now });

        // What the projection of GetCancelRequestAsync returns: the id and the request, nothing else.
        BsonDocument Projected(BsonDocument task) => ThroughBytes(new BsonDocument { { "_id", task["_id"] }, { TaskMapping.CancelRequest, task[TaskMapping.CancelRequest] } });

        Assert.Equal(request, TaskMapping.CancelRequestOf(Projected(asked)));
        Assert.Null(TaskMapping.CancelRequestOf(Projected(unasked)));
        Assert.Null(TaskMapping.CancelRequestOf(ThroughBytes(new BsonDocument { { "_id", "t9" } })));
    }

    [Fact]
    public void ACancelRequestWithoutReason()
    {
        var task = new AgentTask { TaskId = "t6", JobId = "j6", Message = "m", CreatedAt = Now, UpdatedAt = Now, CancelRequest = new CancelRequest("bob", null, Now) };

        var document = ThroughBytes(TaskMapping.ToDocument(task));

        Assert.Equal(task with { Context = [] }, TaskMapping.FromDocument(document) with { Context = [] });
        Assert.Equal(BsonNull.Value, document["cancelRequest"]["reason"]);
    }

    [Fact]
    public void ATaskWithEveryOptionalFieldEmpty()
    {
        var task = new AgentTask { TaskId = "t2", JobId = "j2", Message = "", CreatedAt = Now, UpdatedAt = Now };

        var document = ThroughBytes(TaskMapping.ToDocument(task));

        Assert.Equal(task with { Context = [] }, TaskMapping.FromDocument(document) with { Context = [] });
        Assert.Empty(TaskMapping.FromDocument(document).Context);
        Assert.Equal(BsonNull.Value, document["leaseExpiresAt"]);
        Assert.Equal(BsonNull.Value, document["workspace"]);
    }

    [Fact]
    public void ADocumentWrittenBeforeAFieldExistedReadsItAsNull()
    {
        var document = TaskMapping.ToDocument(new AgentTask { TaskId = "t3", JobId = "j3", Message = "m", ReasoningContent = "r", CreatedAt = Now, UpdatedAt = Now });
        document.Remove("reasoningContent");

        Assert.Null(TaskMapping.FromDocument(document).ReasoningContent);
    }

    [Fact]
    public void CountsWrittenAsAnotherNumberTypeStillRead()
    {
        // A shell or another tool may have written these as doubles or longs ($inc with 1.0, a hand edit).
        var task = TaskMapping.ToDocument(new AgentTask { TaskId = "t4", JobId = "j4", Message = "m", Attempts = 2, CreatedAt = Now, UpdatedAt = Now });
        task["attempts"] = new BsonDouble(3);
        var approval = ApprovalMapping.ToDocument(new Approval
        {
            ApprovalId = "a9",
            TaskId = "t4",
            Workspace = "/w",
            Index = 1,
            Action = new ToolAction("fs_write", [], null),
            NormalizedAction = new NormalizedAction("fs_write", "a.txt"),
            CreatedAt = Now,
        });
        approval["index"] = new BsonInt64(4);

        Assert.Equal(3, TaskMapping.FromDocument(task).Attempts);
        Assert.Equal(4, ApprovalMapping.FromDocument(approval).Index);
    }

    [Fact]
    public void TimesAreKeptInUtcToTheMillisecond()
    {
        var local = new DateTimeOffset(2026, 11, 24, 11, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var task = new AgentTask { TaskId = "t4", JobId = "j4", Message = "m", CreatedAt = local, UpdatedAt = local };

        var read = TaskMapping.FromDocument(ThroughBytes(TaskMapping.ToDocument(task)));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.Zero), read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(read.CreatedAt, BsonFields.Stored(local));
    }

    [Fact]
    public void AnEventWhosePayloadIsARealDocument()
    {
        var payload = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["tool"] = "shell_exec_safe",
            ["returncode"] = 0,
            ["durationMs"] = 12.5,
            ["bytes"] = long.MaxValue,
            ["args"] = new JsonObject { ["command"] = "ls -la", ["env"] = new JsonArray() },
            ["error"] = null,
        });
        var entry = new TaskEvent("t1", 7, "tool_call_finished", payload, Now);
        var id = ObjectId.GenerateNewId();

        var document = ThroughBytes(EventMapping.ToDocument(id, entry));
        var read = EventMapping.FromDocument(document);

        Assert.Equal((entry.TaskId, entry.Seq, entry.EventType, entry.At), (read.TaskId, read.Seq, read.EventType, read.At));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload.GetRawText()), JsonNode.Parse(read.Payload.GetRawText())));
        Assert.Equal(payload.GetRawText(), read.Payload.GetRawText());
        Assert.Equal(id, document["_id"].AsObjectId);
        Assert.Equal(BsonType.Int64, document["seq"].BsonType);
        Assert.Equal("ls -la", document["payload"]["args"]["command"].AsString);
        Assert.Equal(long.MaxValue, document["payload"]["bytes"].AsInt64);
    }

    [Theory]
    [InlineData("\"just text\"")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("null")]
    public void AnEventWhosePayloadIsNoObject(string json)
    {
        using var payload = JsonDocument.Parse(json);
        var entry = new TaskEvent("t1", 1, "odd", payload.RootElement.Clone(), Now);

        var read = EventMapping.FromDocument(ThroughBytes(EventMapping.ToDocument(ObjectId.GenerateNewId(), entry)));

        Assert.Equal(json, read.Payload.GetRawText());
    }

    [Fact]
    public void AnApprovalBeforeAndAfterItsDecision()
    {
        var approval = new Approval
        {
            ApprovalId = "a1",
            TaskId = "t1",
            Workspace = "/w",
            Index = 3,
            Action = new ToolAction("fs_write", new JsonObject { ["path"] = "a.txt", ["content"] = "x\n🦆", ["mode"] = 420, ["nested"] = new JsonObject { ["$weird.key"] = true } }, "write"),
            NormalizedAction = new NormalizedAction("fs_write", "a.txt"),
            Reason = "fs_write creates 'a.txt'",
            RiskLevel = "medium",
            ForeverScope = "fs_write may write a.txt",
            CreatedAt = Now,
        };
        var decided = approval with { Decision = ApprovalDecision.AllowForever, DecidedBy = "alice", DecidedAt = Now.AddMinutes(3) };
        var closed = approval with { ClosedReason = "approval a1 (fs_write) expired after 00:30:00 without a decision", ClosedAt = Now.AddMinutes(30) };
        var edited = decided with
        {
            Comment = "kinder words\nplease 🦆",
            EditedArgs = new JsonObject { ["path"] = "a.txt", ["content"] = "by a person", ["nested"] = new JsonObject { ["$weird.key"] = 1 } },
        };

        foreach (var original in new[] { approval, decided, closed, edited })
        {
            var document = ThroughBytes(ApprovalMapping.ToDocument(original));
            var read = ApprovalMapping.FromDocument(document);

            Assert.Equal(original.Action.ToJson().ToJsonString(), read.Action.ToJson().ToJsonString());
            Assert.Equal(original.EditedArgs?.ToJsonString(), read.EditedArgs?.ToJsonString());
            Assert.Equal(original with { Action = read.Action, EditedArgs = read.EditedArgs }, read);
            Assert.Equal(BsonType.Document, document["action"]["args"].BsonType);
        }

        Assert.Equal("allow_forever", ApprovalMapping.ToDocument(decided)["decision"].AsString);
        Assert.Equal(BsonNull.Value, ApprovalMapping.ToDocument(approval)["decision"]);
        Assert.Equal(BsonNull.Value, ApprovalMapping.ToDocument(approval)["closedReason"]);
        Assert.Equal(BsonType.DateTime, ApprovalMapping.ToDocument(closed)["closedAt"].BsonType);
        Assert.Equal(BsonType.Document, ApprovalMapping.ToDocument(edited)["editedArgs"].BsonType);
        Assert.Equal(BsonNull.Value, ApprovalMapping.ToDocument(decided)["editedArgs"]);
    }

    [Fact]
    public void AnApprovalWrittenBeforeEditsExistedReadsWithoutCommentOrEdit()
    {
        var document = ApprovalMapping.ToDocument(new Approval
        {
            ApprovalId = "a4",
            TaskId = "t1",
            Workspace = "/w",
            Action = new ToolAction("fs_write", [], null),
            NormalizedAction = new NormalizedAction("fs_write", "k"),
            CreatedAt = Now,
        });
        document.Remove("comment");
        document.Remove("editedArgs");

        var read = ApprovalMapping.FromDocument(ThroughBytes(document));

        Assert.Equal(((string?)null, (JsonObject?)null), (read.Comment, read.EditedArgs));
    }

    [Fact]
    public void AnApprovalWrittenBeforeClosingExistedReadsAsNotClosed()
    {
        var document = ApprovalMapping.ToDocument(new Approval
        {
            ApprovalId = "a3",
            TaskId = "t1",
            Workspace = "/w",
            Action = new ToolAction("fs_write", [], null),
            NormalizedAction = new NormalizedAction("fs_write", "k"),
            CreatedAt = Now,
        });
        document.Remove("closedReason");
        document.Remove("closedAt");

        var read = ApprovalMapping.FromDocument(ThroughBytes(document));

        Assert.Equal(((string?)null, (DateTimeOffset?)null, true), (read.ClosedReason, read.ClosedAt, read.IsPending));
    }

    [Fact]
    public void AnApprovalWithoutReason()
    {
        var approval = new Approval
        {
            ApprovalId = "a2",
            TaskId = "t1",
            Workspace = "/w",
            Action = new ToolAction("shell_exec_safe", [], null),
            NormalizedAction = new NormalizedAction("shell_exec_safe", "make"),
            CreatedAt = Now,
        };

        var read = ApprovalMapping.FromDocument(ThroughBytes(ApprovalMapping.ToDocument(approval)));

        Assert.Equal(approval with { Action = read.Action }, read);
        Assert.Null(read.Action.Reason);
        Assert.Empty(read.Action.Args);
    }

    [Fact]
    public void ARule()
    {
        var rule = new ApprovalRule("/w1", new NormalizedAction("shell_exec_safe", "git commit -m x"), "a1", "alice", Now);

        var document = ThroughBytes(ApprovalRuleMapping.ToDocument(rule));

        Assert.Equal(rule, ApprovalRuleMapping.FromDocument(document));
        Assert.Equal(ApprovalRuleMapping.Match(rule.Workspace, rule.Action), new BsonDocument(document.Where(e => e.Name is "workspace" or "tool" or "key")));
        Assert.Equal(ApprovalRuleMapping.ByApproval("a1"), new BsonDocument(document.Where(e => e.Name == "approvalId")));
    }

    [Fact]
    public void AMemoryWithMetadata()
    {
        var memory = new MemoryRecord
        {
            MemoryId = "m1",
            Workspace = "/w1",
            Scope = "global",
            MemoryType = "fact",
            Text = "memory ✓",
            Importance = 0.25,
            Metadata = new JsonObject { ["source"] = "m1", ["tags"] = new JsonArray("a", "b"), ["score"] = 1.5, ["count"] = 2, ["nothing"] = null },
            TaskId = "t-m1",
            CreatedAt = Now,
        };

        var document = ThroughBytes(MemoryMapping.ToDocument(memory));
        var read = MemoryMapping.FromDocument(document);

        Assert.Equal(memory with { Metadata = read.Metadata }, read);
        Assert.True(JsonNode.DeepEquals(memory.Metadata, read.Metadata));
        Assert.Equal("m1", document["metadata"]["source"].AsString);
        Assert.Equal(BsonType.Double, document["importance"].BsonType);
    }

    [Fact]
    public void AMemoryWithoutTaskOrMetadata()
    {
        var memory = new MemoryRecord { MemoryId = "m2", Workspace = "", Scope = "workspace", MemoryType = "preference", Text = "t", CreatedAt = Now };

        var read = MemoryMapping.FromDocument(ThroughBytes(MemoryMapping.ToDocument(memory)));

        Assert.Equal(memory with { Metadata = read.Metadata }, read);
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void AMemoryWithItsVectorAndUpdateTime()
    {
        var memory = new MemoryRecord
        {
            MemoryId = "m3",
            Workspace = "/w",
            Scope = "workspace",
            MemoryType = "fact",
            Text = "t",
            CreatedAt = Now,
            UpdatedAt = Now.AddHours(2),
            Embedding = [0.6f, -0.8f, 0f, 1e-7f],
            EmbeddedBy = "local/all-MiniLM-L6-v2",
        };

        var document = ThroughBytes(MemoryMapping.ToDocument(memory));
        var read = MemoryMapping.FromDocument(document);

        Assert.Equal(memory.Embedding, read.Embedding!);
        Assert.Equal(memory with { Metadata = read.Metadata, Embedding = read.Embedding }, read);
        Assert.Equal(BsonType.Array, document["embedding"].BsonType);
        Assert.All(document["embedding"].AsBsonArray, v => Assert.Equal(BsonType.Double, v.BsonType));
        Assert.Equal("local/all-MiniLM-L6-v2", document["embeddedBy"].AsString);
        var without = MemoryMapping.ToDocument(memory with { Embedding = null, EmbeddedBy = null });
        Assert.False(without.Contains("embedding") || without.Contains("embeddedBy"));
    }

    [Fact]
    public void ANewVectorIsWrittenAsTheDocumentsOwnIs()
    {
        var memory = new MemoryRecord { MemoryId = "m7", Workspace = "/w", Scope = "workspace", MemoryType = "fact", Text = "t", CreatedAt = Now, UpdatedAt = Now, Embedding = [0.6f, 0.8f], EmbeddedBy = "local/all-MiniLM-L6-v2" };
        var lesson = new ExperienceRecord { RecordId = "r4", TaskId = "t4", Workspace = "/w", Summary = "s", Outcome = "success", ReusableLesson = "l", CreatedAt = Now, LessonEmbedding = [0.6f, 0.8f], LessonEmbeddedBy = "local/all-MiniLM-L6-v2" };

        var memoryFields = MemoryMapping.EmbeddingFields([0.6f, 0.8f], "local/all-MiniLM-L6-v2");
        var lessonFields = ExperienceMapping.LessonEmbeddingFields([0.6f, 0.8f], "local/all-MiniLM-L6-v2");

        var whole = MemoryMapping.ToDocument(memory);
        Assert.Equal(new BsonDocument { { "embedding", whole["embedding"] }, { "embeddedBy", whole["embeddedBy"] } }, memoryFields);
        var wholeLesson = ExperienceMapping.ToDocument(lesson);
        Assert.Equal(new BsonDocument { { "lessonEmbedding", wholeLesson["lessonEmbedding"] }, { "lessonEmbeddedBy", wholeLesson["lessonEmbeddedBy"] } }, lessonFields);
    }

    [Fact]
    public void AVectorStoredBeforeVectorsNamedTheirEmbedderReadsAsOfAnUnknownOne()
    {
        var memory = MemoryMapping.ToDocument(new MemoryRecord { MemoryId = "m5", Workspace = "/w", Scope = "workspace", MemoryType = "fact", Text = "t", CreatedAt = Now, UpdatedAt = Now, Embedding = [1f, 0f], EmbeddedBy = "ollama/nomic-embed-text" });
        memory.Remove("embeddedBy");
        var lesson = ExperienceMapping.ToDocument(new ExperienceRecord { RecordId = "r3", TaskId = "t3", Workspace = "/w", Summary = "s", Outcome = "success", ReusableLesson = "l", CreatedAt = Now, LessonEmbedding = [1f, 0f], LessonEmbeddedBy = "ollama/nomic-embed-text" });
        lesson.Remove("lessonEmbeddedBy");
        var noVector = MemoryMapping.ToDocument(new MemoryRecord { MemoryId = "m6", Workspace = "/w", Scope = "workspace", MemoryType = "fact", Text = "t", CreatedAt = Now, UpdatedAt = Now });

        Assert.Equal(EmbedderName.Unknown, MemoryMapping.FromDocument(ThroughBytes(memory)).EmbeddedBy);
        Assert.Equal(EmbedderName.Unknown, ExperienceMapping.FromDocument(ThroughBytes(lesson)).LessonEmbeddedBy);
        Assert.Null(MemoryMapping.FromDocument(ThroughBytes(noVector)).EmbeddedBy);
    }

    [Fact]
    public void AMemoryStoredBeforeUpdateTimesWereKeptReadsItsCreationTimeAsUpdated()
    {
        var document = MemoryMapping.ToDocument(new MemoryRecord { MemoryId = "m4", Workspace = "", Scope = "global", MemoryType = "fact", Text = "t", CreatedAt = Now, UpdatedAt = Now.AddDays(1) });
        document.Remove("updatedAt");

        Assert.Equal(Now, MemoryMapping.FromDocument(ThroughBytes(document)).UpdatedAt);
    }

    [Fact]
    public void AnExperienceRecordWithItsLessonVector()
    {
        var record = new ExperienceRecord { RecordId = "r2", TaskId = "t2", Workspace = "/w", Summary = "s", Outcome = "partial", ReusableLesson = "l", CreatedAt = Now, LessonEmbedding = [1f, 0f], LessonEmbeddedBy = "ollama/nomic-embed-text" };

        var document = ThroughBytes(ExperienceMapping.ToDocument(record));
        var read = ExperienceMapping.FromDocument(document);

        Assert.Equal(record.LessonEmbedding, read.LessonEmbedding!);
        Assert.Equal(record with { LessonEmbedding = read.LessonEmbedding }, read);
        Assert.Equal("ollama/nomic-embed-text", document["lessonEmbeddedBy"].AsString);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("check the lock file first")]
    public void AnExperienceRecord(string? lesson)
    {
        var record = new ExperienceRecord { RecordId = "r1", TaskId = "t1", Workspace = "/w", Summary = "did it", Outcome = "success", ReusableLesson = lesson, CreatedAt = Now };

        Assert.Equal(record, ExperienceMapping.FromDocument(ThroughBytes(ExperienceMapping.ToDocument(record))));
    }

    // The bytes the driver would send, read back both as a raw document and as a materialized one.
    private static BsonDocument ThroughBytes(BsonDocument document)
    {
        var bytes = document.ToBson();
        using var raw = new RawBsonDocument(bytes);
        Assert.Equal(document, raw.ToBsonDocument());
        return BsonSerializer.Deserialize<BsonDocument>(bytes);
    }
}
