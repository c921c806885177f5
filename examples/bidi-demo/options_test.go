package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The query's proactivity and affective_dialog flags reach the model's
// setup for a native-audio model, and are ignored, with a log note, for a
// text model.
func TestQueryOptionsReachTheModelSetup(t *testing.T) {
	tests := []struct {
		name           string
		model          string
		query          string
		wantProactive  bool
		wantAffective  bool
		wantIgnoreNote bool
	}{
		{"native audio with both", audioModel, "?proactivity=true&affective_dialog=true", true, true, false},
		{"native audio with proactivity", audioModel, "?proactivity=1", true, false, false},
		{"native audio without", audioModel, "", false, false, false},
		{"text model with both", textModel, "?proactivity=true&affective_dialog=true", false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t, tt.model)
			c := ts.dial(t, "/ws/u1/s1"+tt.query)
			c.sendText("hello") // the run is connected once it answers
			c.next()

			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			sess, err := ts.backend.Server().WaitSession(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			setup := sess.Setup()
			if setup == nil {
				t.Fatal("the simulator received no setup")
			}
			proactive := setup.Proactivity != nil && setup.Proactivity.ProactiveAudio != nil && *setup.Proactivity.ProactiveAudio
			if proactive != tt.wantProactive {
				t.Errorf("setup proactivity %+v: proactive audio %v, want %v", setup.Proactivity, proactive, tt.wantProactive)
			}
			var affectiveField *bool
			if setup.GenerationConfig != nil {
				affectiveField = setup.GenerationConfig.EnableAffectiveDialog
			}
			affective := affectiveField != nil && *affectiveField
			if affective != tt.wantAffective {
				t.Errorf("setup generationConfig.enableAffectiveDialog %v, want %v", affective, tt.wantAffective)
			}
			if affectiveField != nil && !affective || setup.Proactivity != nil && !proactive {
				t.Errorf("the setup sends an option it was not asked for, set to false: %+v", setup)
			}

			logs := ts.logs.String()
			noted := strings.Contains(logs, "query options ignored") &&
				strings.Contains(logs, "ignored=\"[proactivity affective_dialog]\"")
			if noted != tt.wantIgnoreNote {
				t.Errorf("the ignored-options note logged %v, want %v:\n%s", noted, tt.wantIgnoreNote, logs)
			}
		})
	}
}
