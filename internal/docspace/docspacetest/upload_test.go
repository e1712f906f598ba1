package docspacetest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestInsertFile(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	my := p.myDocs(demoService)

	t.Run("the title comes from the title field, not the file name", func(t *testing.T) {
		ct, body := multipartBody(t, map[string]string{"Title": "from-field.csv"}, "InsertFile.File", "from-part.csv", []byte("x"))
		var f fileJSON
		p.upload(demoService, my, "", ct, body).okInto(t, &f)
		if f.Title != "from-field.csv" {
			t.Errorf("title %q", f.Title)
		}
	})
	t.Run("the first file part wins", func(t *testing.T) {
		var buf strings.Builder
		buf.WriteString("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\ntwo-parts.txt\r\n")
		buf.WriteString("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\nfirst\r\n")
		buf.WriteString("--b\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b\"\r\n\r\nsecond\r\n--b--\r\n")
		var f fileJSON
		p.upload(demoService, my, "", "multipart/form-data; boundary=b", []byte(buf.String())).okInto(t, &f)
		if got := string(p.entry(f.ID).Content()); got != "first" {
			t.Errorf("content %q, want the first file part", got)
		}
	})
	t.Run("invalid characters are replaced", func(t *testing.T) {
		ct, body := multipartBody(t, map[string]string{"title": " a/b:c?.txt "}, "file", "x", []byte("x"))
		var f fileJSON
		p.upload(demoService, my, "", ct, body).okInto(t, &f)
		if f.Title != "a_b_c_.txt" {
			t.Errorf("title %q", f.Title)
		}
	})
	t.Run("a new version is audited as an overwrite", func(t *testing.T) {
		for range 2 {
			p.upload(demoService, my, "title=versions.txt", "text/plain", []byte("v")).ok(t)
		}
		f := p.ts.FindEntries(func(e Entry) bool { return e.Title == "versions.txt" })[0]
		if got := p.auditCount(actionFileUploadedWithOverwriting, strconv.Itoa(f.ID)); got != 1 {
			t.Errorf("FileUploadedWithOverwriting events = %d, want 1", got)
		}
	})
	t.Run("a room's content creator uploads; a reader may not", func(t *testing.T) {
		ct, body := multipartBody(t, map[string]string{"title": "spec-v2.docx"}, "file", "x", []byte("x"))
		var f fileJSON
		p.upload(demoSofia, folderFalconSpecs, "", ct, body).okInto(t, &f)
		if f.FolderID != folderFalconSpecs {
			t.Errorf("uploaded into %d", f.FolderID)
		}
		wantError(t, p.upload(demoEmma, folderFalconSpecs, "", ct, body), http.StatusForbidden, "Access denied")
	})
	t.Run("a form-filling room takes pdf forms only", func(t *testing.T) {
		forms := Must(p.ts.AddRoom(RoomSpec{Title: "Forms", Type: RoomFillingForms, OwnerID: demoKeeper}))(t)
		wantError(t, p.upload(demoKeeper, forms.ID, "title=notes.docx", "application/octet-stream", []byte("x")),
			http.StatusForbidden, msgUploadToFormRoom)
		p.upload(demoKeeper, forms.ID, "title=form.pdf", "application/pdf", []byte("%PDF")).ok(t)
	})
	t.Run("no title", func(t *testing.T) {
		p.ts.Spec.ExpectInvalidRequest("insertFile")
		ct, body := multipartBody(t, nil, "file", "named.txt", []byte("x"))
		wantError(t, p.upload(demoService, my, "", ct, body),
			http.StatusBadRequest, "Value cannot be null. (Parameter 'title')")
	})
	t.Run("the archive takes nothing", func(t *testing.T) {
		wantError(t, p.upload(demoService, roomOldPitch, "title=x.txt", "text/plain", []byte("x")),
			http.StatusForbidden, "Access denied")
	})
}
