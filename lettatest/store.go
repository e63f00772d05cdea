package lettatest

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// The self-hosted server's default organization and user. Every request acts
// as the default user unless it sends a valid user_id header.
const (
	defaultOrgID  = "org-00000000-0000-4000-8000-000000000000"
	defaultUserID = "user-00000000-0000-4000-8000-000000000000"
)

// property is one IdentityProperty; value is decoded JSON.
type property struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
	Type  string `json:"type"`
}

type identity struct {
	id            string
	identifierKey string
	name          string
	identityType  string
	projectID     *string
	properties    []property
	blockIDs      []string
	createdAt     time.Time
}

// block is a stored memory block; created by agent creation (memory_blocks).
type block struct {
	json      blockJSON
	createdAt time.Time
}

// tool is a stored tool; only the base tools exist.
type tool struct {
	json      toolJSON
	createdAt time.Time
}

type envVar struct {
	id, key, value string
	createdAt      time.Time
}

type agent struct {
	id, name, system, agentType string
	createdAt, updatedAt        time.Time
	createdByID, updatedByID    string

	description                *string
	metadata                   json.RawMessage
	toolRules                  json.RawMessage
	messageIDs                 []string
	llmConfig                  map[string]any
	embeddingConfig            map[string]any // nil: none
	modelSettings              map[string]any // last model_settings sent
	compactionSettings         json.RawMessage
	responseFormat             json.RawMessage
	blockIDs                   []string
	toolIDs                    []string
	tags                       []string
	identityIDs                []string
	secrets                    []envVar
	projectID                  *string
	templateID                 *string
	baseTemplateID             *string
	deploymentID               *string
	entityID                   *string
	messageBufferAutoclear     bool
	enableSleeptime            *bool
	lastRunCompletion          *string
	lastRunDurationMS          *int64
	lastStopReason             *string
	timezone                   *string
	maxFilesOpen               *int64
	perFileViewWindowCharLimit *int64
	hidden                     *bool
}

// store is the whole in-memory state, guarded by one mutex: requests are
// cheap, and a single lock makes every request atomic like a DB transaction.
type store struct {
	mu          sync.Mutex
	ids         *idSource
	clock       *clock
	identities  map[string]*identity
	agents      map[string]*agent
	blocks      map[string]*block
	tools       map[string]*tool
	toolsByName map[string]string
	chats       map[string]*chatLog   // agent id: stored messages (history.go)
	runs        map[string]*activeRun // run id: streamed turns in progress (messages_stream.go)
	// userCreatedAt is when the default user was made (at start), which the
	// server's not-found texts show in their actor repr.
	userCreatedAt time.Time
}

func newStore(ids *idSource, clk *clock) *store {
	return &store{
		ids:         ids,
		clock:       clk,
		identities:  map[string]*identity{},
		agents:      map[string]*agent{},
		blocks:      map[string]*block{},
		tools:       map[string]*tool{},
		toolsByName: map[string]string{},
		// The deterministic clock's now() is the first write's time; the
		// user predates it.
		userCreatedAt: clk.now().Add(-time.Second),
	}
}

// actorRepr is the server's repr of the acting user in not-found texts.
// Every actor is shown as the default user, the only one lettatest has.
func (s *store) actorRepr(actor string) string {
	ts := pyDatetime(s.userCreatedAt)
	return fmt.Sprintf("id=%s organization_id=%s name='default_user' created_at=%s updated_at=%s is_deleted=False",
		pyStr(actor), pyStr(defaultOrgID), ts, ts)
}

// identityByKey finds an identity by (identifier_key, project_id); a nil
// project id only matches a nil one, like Postgres' NULLS NOT DISTINCT.
func (s *store) identityByKey(key string, projectID *string) *identity {
	for _, it := range s.identities {
		if it.identifierKey == key && equalPtr(it.projectID, projectID) {
			return it
		}
	}
	return nil
}

// missingIDs returns the ids for which exists is false, deduplicated, in
// request order.
func missingIDs(ids []string, exists func(string) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !exists(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// appendUnique appends the items of add not already in list, in order.
func appendUnique(list []string, add ...string) []string {
	for _, a := range add {
		if !containsStr(list, a) {
			list = append(list, a)
		}
	}
	return list
}

// dedupe returns the distinct items of list in first-seen order, never nil.
func dedupe(list []string) []string {
	return appendUnique([]string{}, list...)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeStr(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
