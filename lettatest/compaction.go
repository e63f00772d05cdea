package lettatest

import (
	"encoding/json"
)

// compactionJSON is CompactionSettings, in the server's key order.
type compactionJSON struct {
	Model                   *string         `json:"model"`
	ModelSettings           json.RawMessage `json:"model_settings"`
	Prompt                  *string         `json:"prompt"`
	PromptAcknowledgement   bool            `json:"prompt_acknowledgement"`
	ClipChars               *int64          `json:"clip_chars"`
	Mode                    string          `json:"mode"`
	SlidingWindowPercentage json.Number     `json:"sliding_window_percentage"`
}

// summarizerModels are the server's default summariser handles by
// provider; other providers summarise with the agent's own model.
var summarizerModels = map[string]string{
	"anthropic": "anthropic/claude-haiku-4-5",
	"openai":    "openai/gpt-5-mini",
	"google_ai": "google_ai/gemini-2.5-flash",
	"letta":     "letta/auto",
}

// compactionPrompts stand in for the server's summariser prompts, by mode.
var compactionPrompts = map[string]string{
	"all":                         "Summarize the conversation so far. (lettatest stand-in for the server's ALL_PROMPT)",
	"sliding_window":              "Summarize the messages being evicted from the beginning of the context window. (lettatest stand-in for the server's SLIDING_PROMPT)",
	"self_compact_all":            "Summarize the conversation so far yourself. (lettatest stand-in for the server's SELF_ALL_PROMPT)",
	"self_compact_sliding_window": "Summarize the evicted messages yourself. (lettatest stand-in for the server's SELF_SLIDING_PROMPT)",
}

// compactionFor fills a created agent's compaction_settings as the server
// does: every field defaulted, model from the provider's summariser (else
// the agent's handle), prompt from the mode. sent is what the client sent
// (nil: nothing).
func compactionFor(sent json.RawMessage, llm map[string]any) json.RawMessage {
	clip := int64(50000)
	c := compactionJSON{ClipChars: &clip, Mode: "sliding_window", SlidingWindowPercentage: "0.3"}
	if sent != nil {
		// Already validated; unknown keys are ignored, as pydantic does.
		_ = json.Unmarshal(sent, &c)
	}
	if c.Model == nil {
		provider, _ := llm["provider_name"].(string)
		if provider == "" {
			provider, _ = llm["model_endpoint_type"].(string)
		}
		if m, found := summarizerModels[provider]; found {
			c.Model = &m
		} else if h, isStr := llm["handle"].(string); isStr {
			c.Model = &h
		}
	}
	if c.Prompt == nil {
		p := compactionPrompts[c.Mode]
		c.Prompt = &p
	}
	if c.ModelSettings == nil {
		c.ModelSettings = json.RawMessage("null")
	}
	b, err := json.Marshal(c)
	if err != nil {
		return sent
	}
	return b
}
