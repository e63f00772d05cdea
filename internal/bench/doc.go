// Package bench holds the SDK's benchmarks and performance tests (test
// files only): each SDK operation against hand-written net/http code doing
// the same request, plus the connection-reuse and ListAll memory checks.
// See BENCHMARKS.md at the repository root.
package bench
