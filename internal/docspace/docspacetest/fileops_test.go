package docspacetest

import (
	"net/http"
	"testing"
	"time"
)

func TestFileOperationPolling(t *testing.T) {
	t.Parallel()

	t.Run("a stuck operation never finishes", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		p.ts.Fault(t, Fault{Kind: FaultStuckJob, Operation: "moveBatchItems", HoldAt: 50})
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork, 1002}, "destFolderId": roomArchive})
		p.clock.Advance(time.Hour)
		got, ok := p.poll(demoService, op.ID)
		if !ok || got.Finished || got.Progress != 50 || got.Status != int(TaskRunning) {
			t.Fatalf("stuck operation %+v, want running at 50%%", got)
		}
		if p.entry(folderJaneWork).ParentID != roomArchive || p.entry(1002).ParentID != roomWorkspaces {
			t.Errorf("the first half should have moved, the second not")
		}
		if again, ok := p.poll(demoService, op.ID); !ok || again.Progress != 50 {
			t.Errorf("a running operation is reported on every poll: %+v", again)
		}
	})

	t.Run("terminate cancels and deletes", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork, 1002}, "destFolderId": roomArchive})
		other := p.moveOp(demoService, map[string]any{"folderIds": []int{1003}, "destFolderId": roomArchive})
		p.clock.Advance(opDuration / 2)
		var left []opJSON
		e := p.put(demoService, "/api/2.0/files/fileops/terminate/"+op.ID, nil).okInto(t, &left)
		if len(left) != 1 || left[0].ID != other.ID || *e.Count != 1 {
			t.Errorf("remaining %+v, want only the other operation", left)
		}
		p.finish()
		if p.entry(folderJaneWork).ParentID != roomArchive || p.entry(1002).ParentID != roomWorkspaces {
			t.Errorf("work done before terminating must stay and the rest must not happen")
		}
		if _, ok := p.poll(demoService, op.ID); ok {
			t.Errorf("a terminated operation is still reported")
		}
	})

	t.Run("operations belong to their submitter", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		op := p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive})
		var janes []opJSON
		p.get(demoJane, "/api/2.0/files/fileops").okInto(t, &janes)
		if len(janes) != 0 {
			t.Errorf("Jane sees %+v", janes)
		}
		if _, ok := p.poll(demoJane, op.ID); ok {
			t.Errorf("Jane can read the service's operation")
		}
	})

	t.Run("by type", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		p.moveOp(demoService, map[string]any{"folderIds": []int{folderJaneWork}, "destFolderId": roomArchive})
		cases := []struct {
			typ  string
			want int
		}{{"0", 1}, {"Copy", 0}, {"delete", 0}, {"7", 0}}
		for _, tc := range cases {
			var ops []opJSON
			p.get(demoService, "/api/2.0/files/fileops/"+tc.typ).okInto(t, &ops)
			if len(ops) != tc.want {
				t.Errorf("fileops/%s listed %d, want %d", tc.typ, len(ops), tc.want)
			}
		}
		wantError(t, p.get(demoService, "/api/2.0/files/fileops/5"), http.StatusBadRequest,
			"Specified argument was out of the range of valid values.")
		p.ts.Spec.ExpectInvalidRequest("getOperationStatusesByType")
		wantValidation(t, p.get(demoService, "/api/2.0/files/fileops/Teleport"), "operationType")
	})

	t.Run("the body is required and must be JSON", func(t *testing.T) {
		t.Parallel()
		p := startDemo(t)
		wantValidation(t, p.put(demoService, "/api/2.0/files/fileops/move", ""), "inDto")
		wantEmpty(t, p.do(demoService, http.MethodPut, "/api/2.0/files/fileops/move", nil), http.StatusUnsupportedMediaType)
	})
}

func TestPersonalMoveRights(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	sofiaMy := p.myDocs(demoSofia)
	t.Run("a readwrite sharee moves items out of the shared folder", func(t *testing.T) {
		op := p.moveOp(demoSofia, map[string]any{"fileIds": []int{3002}, "destFolderId": sofiaMy})
		if got := p.awaitOp(demoSofia, op.ID); got.Error != "" || p.entry(3002).ParentID != sofiaMy {
			t.Errorf("move %+v", got)
		}
	})
	t.Run("but not the shared folder itself", func(t *testing.T) {
		wantError(t, p.move(demoSofia, map[string]any{"folderIds": []int{folderJaneShared}, "destFolderId": sofiaMy}),
			http.StatusForbidden, "Access denied")
	})
	t.Run("a read-only sharee moves nothing", func(t *testing.T) {
		sub := Must(p.ts.AddFile(folderJaneShared, "spec.docx", demoJane, []byte("x")))(t)
		wantError(t, p.move(demoJohn, map[string]any{"fileIds": []int{sub.ID}, "destFolderId": p.myDocs(demoJohn)}),
			http.StatusForbidden, "Access denied")
	})
	t.Run("nobody moves items into someone else's my documents", func(t *testing.T) {
		wantError(t, p.move(demoService, map[string]any{"fileIds": []int{fileJaneNotes}, "destFolderId": p.myDocs(demoJane)}),
			http.StatusForbidden, "Access denied")
	})
	t.Run("the owner moves anything of her own", func(t *testing.T) {
		op := p.moveOp(demoJane, map[string]any{"folderIds": []int{folderJanePrivate}, "destFolderId": folderJaneShared})
		if got := p.awaitOp(demoJane, op.ID); got.Error != "" || p.entry(folderJanePrivate).ParentID != folderJaneShared {
			t.Errorf("move %+v", got)
		}
	})
}
