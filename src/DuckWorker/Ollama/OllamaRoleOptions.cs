using Microsoft.Extensions.AI;
using OllamaSharp.Models;

namespace DuckWorker.Ollama;

/// <summary>One model role's model and Ollama options (<c>Ollama:Roles:&lt;role&gt;</c>).</summary>
public sealed class OllamaRoleOptions
{
    public string Model { get; set; } = "";

    /// <summary>Ollama's <c>think</c>: <c>true</c>, <c>false</c>, or a level (<c>low</c>, <c>medium</c>, <c>high</c>) for models that take one.</summary>
    public string? Think { get; set; }

    /// <summary>How long Ollama keeps the model loaded after a call, e.g. <c>10m</c>, or <c>-1</c> for always.</summary>
    public string? KeepAlive { get; set; }

    public int? NumCtx { get; set; }

    public float? Temperature { get; set; }

    /// <summary>
    /// Puts the role's model and options on a call. A job's reasoning request (on/off, carried as
    /// <see cref="ChatOptions.Reasoning"/>) decides <c>think</c>; "on" uses the role's level when it has one.
    /// </summary>
    public void ApplyTo(ChatOptions options)
    {
        options.ModelId ??= Model;
        options.Temperature ??= Temperature;
        options.AdditionalProperties ??= [];
        if (NumCtx is { } numCtx)
        {
            options.AdditionalProperties[OllamaOption.NumCtx.Name] = numCtx;
        }

        if (KeepAlive is { } keepAlive)
        {
            options.AdditionalProperties["keep_alive"] = keepAlive;
        }

        var think = options.Reasoning?.Effort switch
        {
            ReasoningEffort.None => "false",
            not null => Think is null or "true" or "false" ? "true" : Think,
            null => Think,
        };
        if (think is not null)
        {
            options.AdditionalProperties[OllamaOption.Think.Name] = think.ToLowerInvariant();
        }
    }
}
