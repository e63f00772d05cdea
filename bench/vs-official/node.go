package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// findNodeDir returns the Node driver's directory: flag when set, else
// bench/vs-official/node (from the repository root) or node (from here).
func findNodeDir(flag string) (string, error) {
	candidates := []string{filepath.Join("bench", "vs-official", "node"), "node"}
	if flag != "" {
		candidates = []string{flag}
	}
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "bench.mjs")); err == nil {
			return filepath.Abs(dir)
		}
	}
	return "", fmt.Errorf("no bench.mjs in %s: run from the repository root or set -node", strings.Join(candidates, " or "))
}

// ensureNodeDeps installs the Node driver's dependencies when a version
// package.json pins is not the one installed, and returns the installed
// versions by dependency name. npm writes no lockfile (node/.npmrc).
func ensureNodeDeps(dir string) (map[string]string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return nil, err
	}
	installed, err := missingDeps(dir, pkg.Dependencies)
	if errors.Is(err, errStale) {
		fmt.Fprintln(os.Stderr, "installing the official client:", err)
		cmd := exec.Command("npm", "install", "--no-package-lock", "--no-audit", "--no-fund")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("npm install in %s: %w", dir, err)
		}
		installed, err = missingDeps(dir, pkg.Dependencies)
	}
	return installed, err
}

var errStale = errors.New("not installed at the pinned version")

// missingDeps compares each dependency's installed version with its pin
// ("1.12.1", or "npm:name@1.6.4" for an alias).
func missingDeps(dir string, deps map[string]string) (map[string]string, error) {
	installed := map[string]string{}
	for name, spec := range deps {
		want := spec[strings.LastIndex(spec, "@")+1:]
		var got struct {
			Version string `json:"version"`
		}
		err := readJSON(filepath.Join(dir, "node_modules", name, "package.json"), &got)
		if err != nil || got.Version != want {
			return nil, fmt.Errorf("%s@%s: %w", name, want, errStale)
		}
		installed[name] = got.Version
	}
	return installed, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
