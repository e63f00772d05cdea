package openaifake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	"github.com/letta-go/letta/lettatest/internal/fakemodel"
)

// embeddingDims are the vector sizes of the embedding models Letta knows;
// other models get defaultEmbeddingDim unless the request sets dimensions.
var embeddingDims = map[string]int{
	"text-embedding-3-large": 3072,
}

const (
	defaultEmbeddingDim = 1536
	maxEmbeddingDim     = 8192
)

// embeddings answers POST /v1/embeddings with unit vectors derived from a
// hash of each input: equal texts get equal vectors. encoding_format
// "base64" (what the OpenAI Python client asks for) sends each vector as
// little-endian float32s in base64.
func embeddings(w http.ResponseWriter, body []byte) {
	var req EmbeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "We could not parse the JSON body of your request: "+err.Error(), "", "")
		return
	}
	if req.Model == "" {
		writeError(w, http.StatusBadRequest, "you must provide a model parameter", "model", "")
		return
	}
	inputs, ok := embeddingInputs(req.Input)
	if !ok || len(inputs) == 0 {
		writeError(w, http.StatusBadRequest, "'input' must be a non-empty string, array of strings, or array of token arrays", "input", "")
		return
	}
	dim := req.Dimensions
	if dim == 0 {
		dim = defaultEmbeddingDim
		if d, found := embeddingDims[req.Model]; found {
			dim = d
		}
	}
	if dim < 1 || dim > maxEmbeddingDim {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("dimensions must be from 1 to %d", maxEmbeddingDim), "dimensions", "")
		return
	}
	type item struct {
		Object    string `json:"object"`
		Index     int    `json:"index"`
		Embedding any    `json:"embedding"`
	}
	data := make([]item, len(inputs))
	tokens := 0
	for i, in := range inputs {
		v := embed(in, dim)
		var enc any = v
		if req.EncodingFormat == "base64" {
			buf := make([]byte, 4*len(v))
			for j, f := range v {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(f))
			}
			enc = base64.StdEncoding.EncodeToString(buf)
		}
		data[i] = item{Object: "embedding", Index: i, Embedding: enc}
		tokens += EstimateTokens(in)
	}
	writeJSON(w, http.StatusOK, struct {
		Object string `json:"object"`
		Data   []item `json:"data"`
		Model  string `json:"model"`
		Usage  struct {
			PromptTokens int `json:"prompt_tokens"`
			TotalTokens  int `json:"total_tokens"`
		} `json:"usage"`
	}{Object: "list", Data: data, Model: req.Model, Usage: struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	}{tokens, tokens}})
}

// embeddingInputs reads input: a string, strings, a token array or token
// arrays (a token array is embedded as its JSON text).
func embeddingInputs(raw json.RawMessage) ([]string, bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	var tokens []int
	if json.Unmarshal(raw, &tokens) == nil {
		return []string{string(raw)}, true
	}
	var tokenLists [][]int
	if json.Unmarshal(raw, &tokenLists) == nil {
		out := make([]string, len(tokenLists))
		for i, t := range tokenLists {
			out[i] = fakemodel.JSONText(t)
		}
		return out, true
	}
	return nil, false
}

// embed is a unit vector of dim float32s from SHA-256 of the text.
func embed(text string, dim int) []float32 {
	v := make([]float32, dim)
	var sum [sha256.Size]byte
	var norm float64
	for i := 0; i < dim; i++ {
		if i%8 == 0 {
			h := sha256.New()
			h.Write([]byte(text))
			var n [8]byte
			binary.BigEndian.PutUint64(n[:], uint64(i/8))
			h.Write(n[:])
			h.Sum(sum[:0])
		}
		u := binary.BigEndian.Uint32(sum[4*(i%8):])
		f := float64(u)/float64(math.MaxUint32)*2 - 1
		v[i] = float32(f)
		norm += f * f
	}
	if norm > 0 {
		scale := 1 / math.Sqrt(norm)
		for i := range v {
			v[i] = float32(float64(v[i]) * scale)
		}
	}
	return v
}
