package simulator

import (
	"testing"

	"google.golang.org/genai"
)

func TestEarlierUserText(t *testing.T) {
	user := func(s string) *genai.Content { return genai.NewContentFromText(s, genai.RoleUser) }
	model := func(s string) *genai.Content { return genai.NewContentFromText(s, genai.RoleModel) }
	toolResponse := &genai.Content{Role: genai.RoleUser, Parts: []*genai.Part{{FunctionResponse: &genai.FunctionResponse{ID: "1", Name: "f"}}}}
	tests := []struct {
		name string
		conv []*genai.Content
		want string
	}{
		{"empty", nil, ""},
		{"first turn", []*genai.Content{user("hi")}, ""},
		{"second turn", []*genai.Content{user("hi"), model("hello"), user("again")}, "hi"},
		{"current turn in two contents", []*genai.Content{user("a"), model("b"), user("c"), user("d")}, "a"},
		{"tool response skipped", []*genai.Content{user("what time?"), model(""), toolResponse, model("noon"), user("thanks")}, "what time?"},
		{"model only", []*genai.Content{model("hello"), user("hi")}, ""},
	}
	for _, tt := range tests {
		if got := earlierUserText(tt.conv); got != tt.want {
			t.Errorf("%s: earlierUserText = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDescribeResult(t *testing.T) {
	tests := []struct {
		name string
		resp *genai.FunctionResponse
		want string
	}{
		{"none", nil, "The f tool gave no answer."},
		{"fields in order", &genai.FunctionResponse{Response: map[string]any{"zone": "UTC", "time": "noon"}}, "The f tool says: time noon, zone UTC."},
		{"output wrapper", &genai.FunctionResponse{Response: map[string]any{"output": map[string]any{"local_time": "9:00"}}}, "The f tool says: local time 9:00."},
		{"error", &genai.FunctionResponse{Response: map[string]any{"error": "boom"}}, "The f tool failed: boom."},
	}
	for _, tt := range tests {
		if got := describeResult("f", tt.resp); got != tt.want {
			t.Errorf("%s: describeResult = %q, want %q", tt.name, got, tt.want)
		}
	}
}
