package letta

import (
	"log/slog"
	"os"
	"strings"
)

// Environment variables read by NewClientFromEnv (the same ones the official
// Letta SDKs read).
const (
	EnvAPIKey        = "LETTA_API_KEY"
	EnvBaseURL       = "LETTA_BASE_URL"
	EnvCustomHeaders = "LETTA_CUSTOM_HEADERS"
	EnvLog           = "LETTA_LOG"
)

// NewClientFromEnv is NewClient with defaults taken from the environment:
// LETTA_API_KEY (WithAPIKey), LETTA_BASE_URL (WithBaseURL),
// LETTA_CUSTOM_HEADERS (newline-separated "Name: value" lines, each a
// WithHeader) and LETTA_LOG (debug, info, warn, error or off: a text logger
// on stderr at that level). Unset or empty variables are ignored; opts are
// applied afterwards, so explicit options win. An invalid variable is an
// error naming the variable (never echoing the key).
func NewClientFromEnv(opts ...Option) (*Client, error) {
	envOpts, err := envOptions(os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return NewClient(append(envOpts, opts...)...)
}

func envOptions(lookup func(string) (string, bool)) ([]Option, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	var opts []Option
	if v := get(EnvAPIKey); v != "" {
		if err := WithAPIKey(v)(&config{}); err != nil {
			return nil, envError(EnvAPIKey, err)
		}
		opts = append(opts, WithAPIKey(v))
	}
	if v := get(EnvBaseURL); v != "" {
		if _, err := parseBaseURL(v); err != nil {
			return nil, envError(EnvBaseURL, err)
		}
		opts = append(opts, WithBaseURL(v))
	}
	if v := get(EnvCustomHeaders); v != "" {
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				return nil, &InvalidParamError{Param: EnvCustomHeaders, Value: redacted,
					Reason: "each line must be \"Name: value\""}
			}
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if err := checkHeader(name, value); err != nil {
				return nil, envError(EnvCustomHeaders, err)
			}
			opts = append(opts, WithHeader(name, value))
		}
	}
	if v := get(EnvLog); v != "" {
		l, err := envLogger(v)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithLogger(l))
	}
	return opts, nil
}

func envLogger(level string) (*slog.Logger, error) {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "off":
		return nil, nil
	case "debug":
		lv = slog.LevelDebug
	case "info":
		lv = slog.LevelInfo
	case "warn", "warning":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		return nil, &InvalidParamError{Param: EnvLog, Value: level, Reason: "want debug, info, warn, error or off"}
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv})), nil
}

func envError(name string, err error) error {
	if ip, ok := err.(*InvalidParamError); ok {
		return &InvalidParamError{Param: name + " (" + ip.Param + ")", Value: ip.Value, Reason: ip.Reason}
	}
	return err
}
