namespace DuckWorker.Runtime.Stores;

/// <summary>A job's request to turn the thinker's reasoning (Ollama's <c>think</c>) <c>on</c> or <c>off</c>.</summary>
public enum ReasoningMode
{
    On,
    Off,
}
