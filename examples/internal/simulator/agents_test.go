package simulator

import (
	"testing"

	"google.golang.org/genai"

	"github.com/adklive/adklive/tool"
)

func withDecls(s *genai.LiveClientSetup, decls ...*genai.FunctionDeclaration) *genai.LiveClientSetup {
	s.Tools = []*genai.Tool{{FunctionDeclarations: decls}}
	return s
}

func transferDecl(targets ...string) *genai.FunctionDeclaration {
	return tool.TransferToAgent(func() []tool.AgentTarget {
		var ts []tool.AgentTarget
		for _, n := range targets {
			ts = append(ts, tool.AgentTarget{Name: n})
		}
		return ts
	}()...).Declaration()
}

func TestAskingForAnAgentCallsTransferToAgent(t *testing.T) {
	tests := []struct{ said, want string }{
		{"Can I talk to the weather agent?", "weather_agent"},
		{"back to the coordinator please", "coordinator"},
		{"put me through to clock_agent", "clock_agent"},
	}
	for _, tt := range tests {
		t.Run(tt.said, func(t *testing.T) {
			conn := dial(t, fast, withDecls(textSetup(), transferDecl("weather_agent", "clock_agent", "coordinator")))
			sendText(t, conn, tt.said)
			got := receiveTurn(t, conn, true)
			if len(got.calls) != 1 || got.calls[0].Name != tool.TransferToAgentName || got.calls[0].Args["agent_name"] != tt.want {
				t.Fatalf("calls = %+v, want transfer_to_agent(%s)", got.calls, tt.want)
			}
			if got.text.Len() != 0 {
				t.Errorf("the model said %q with the transfer, want the call alone", got.text.String())
			}
		})
	}
}

func TestWeatherWithoutAHandoffIsNotATransfer(t *testing.T) {
	conn := dial(t, fast, withDecls(textSetup(), transferDecl("weather_agent")))
	sendText(t, conn, "the weather is nice")
	if got := receiveTurn(t, conn, false); len(got.calls) != 0 {
		t.Errorf("calls = %+v, want none", got.calls)
	}
}

func TestDoneCallsTaskCompleted(t *testing.T) {
	conn := dial(t, fast, withDecls(textSetup(), tool.TaskCompleted().Declaration()))
	sendText(t, conn, "I'm done")
	got := receiveTurn(t, conn, true)
	if len(got.calls) != 1 || got.calls[0].Name != tool.TaskCompletedName {
		t.Fatalf("calls = %+v, want task_completed", got.calls)
	}
}

func TestTheAgentTakingOverGreets(t *testing.T) {
	setup := textSetup()
	setup.SystemInstruction = genai.NewContentFromText("You are the weather agent. Be brief.", "system")
	call := &genai.FunctionCall{ID: "c1", Name: tool.TransferToAgentName, Args: map[string]any{"agent_name": "weather_agent"}}
	history := []*genai.Content{
		genai.NewContentFromText("talk to the weather agent", genai.RoleUser),
		{Role: genai.RoleModel, Parts: []*genai.Part{{FunctionCall: call}}},
		{Role: genai.RoleUser, Parts: []*genai.Part{{FunctionResponse: &genai.FunctionResponse{
			ID: "c1", Name: tool.TransferToAgentName, Response: map[string]any{"result": "Transferred to agent weather_agent."}}}}},
	}
	conn := dial(t, fast, setup, history...)
	got := receiveTurn(t, conn, false)
	want := "Hello, this is weather_agent. You are the weather agent. You said: “talk to the weather agent”."
	if got.text.String() != want {
		t.Errorf("greeting = %q, want %q", got.text.String(), want)
	}
}
