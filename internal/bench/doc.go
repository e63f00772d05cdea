// Package bench holds the SDK's benchmarks and performance tests (test
// files only): each SDK operation against hand-written net/http code doing
// the same request, plus the ListAll memory checks (the connection-reuse
// check is connections_test.go at the repository root: it counts the
// connections of the SDK's own default transport).
// See BENCHMARKS.md at the repository root.
package bench
