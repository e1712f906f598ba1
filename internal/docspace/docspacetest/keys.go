package docspacetest

import (
	"slices"
	"strings"
	"time"
)

// apiKeyDTO is ApiKeyResponseDto (reference §2.3); key is only present in the creation reply.
type apiKeyDTO struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Key         string       `json:"key,omitempty"`
	KeyPostfix  string       `json:"keyPostfix"`
	Permissions []string     `json:"permissions"`
	LastUsed    *string      `json:"lastUsed,omitempty"`
	CreateOn    *string      `json:"createOn,omitempty"`
	CreateBy    *employeeDTO `json:"createBy,omitempty"`
	ExpiresAt   *string      `json:"expiresAt,omitempty"`
	IsActive    bool         `json:"isActive"`
}

func (c *call) apiKey(k *Key, withSecret bool) apiKeyDTO {
	d := apiKeyDTO{ID: k.ID, Name: k.Name, KeyPostfix: k.Postfix(), Permissions: slices.Clone(k.Permissions),
		LastUsed: c.s.datePtr(k.LastUsed), CreateOn: c.s.datePtr(k.CreatedOn), CreateBy: c.employee(k.OwnerID),
		ExpiresAt: c.s.datePtr(k.ExpiresAt), IsActive: k.IsActive}
	if d.Permissions == nil {
		d.Permissions = []string{}
	}
	if withSecret {
		d.Key = k.Secret
	}
	return d
}

type createKeyBody struct {
	Name          *string  `json:"name"`
	Permissions   []string `json:"permissions"`
	ExpiresInDays *jsonInt `json:"expiresInDays"`
}

// createAPIKey: POST keys (reference §2.3). Under the SensitiveApi rate-limit policy.
func (s *Server) createAPIKey(c *call) (any, error) {
	var body createKeyBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return nil, err
	}
	if body.Name == nil {
		return nil, requiredMissing("ASC.People.ApiModels.RequestDto.CreateApiKeyRequestDto", "name")
	}
	if len(*body.Name) > maxAPIKeyNameLen {
		return nil, errValidation("Name", "The field Name must be a string with a maximum length of 30.")
	}
	if body.ExpiresInDays != nil && (*body.ExpiresInDays < 1 || *body.ExpiresInDays > maxAPIKeyLifetimeDays) {
		return nil, errValidation("ExpiresInDays", "The field ExpiresInDays must be between 1 and 365.")
	}
	if c.caller.Type == TypeGuest {
		return nil, errSecurity()
	}
	for _, p := range body.Permissions {
		if !slices.Contains(validScopes(), p) {
			return nil, errArgument("Permissions are not valid.")
		}
	}
	spec := KeySpec{OwnerID: c.caller.ID, Name: strings.TrimSpace(*body.Name), Permissions: body.Permissions}
	if spec.Name == "" {
		return nil, errArgument("Name is required.")
	}
	if body.ExpiresInDays != nil {
		spec.ExpiresAt = c.now.Add(time.Duration(*body.ExpiresInDays) * 24 * time.Hour)
	}
	k, err := s.addKey(spec)
	if err != nil {
		return nil, errArgument(err.Error())
	}
	k.CreatedOn = c.now
	c.audit(ActionAPIKeyCreated, []string{k.ID}, k.Postfix())
	return c.apiKey(k, true), nil
}

// getAPIKeys: GET keys: admins see every key, others their own.
func (s *Server) getAPIKeys(c *call) (any, error) {
	var keys []*Key
	for _, k := range s.st.keys {
		if c.caller.isAdmin() || strings.EqualFold(k.OwnerID, c.caller.ID) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b *Key) int { return a.CreatedOn.Compare(b.CreatedOn) })
	out := make([]apiKeyDTO, 0, len(keys))
	for _, k := range keys {
		out = append(out, c.apiKey(k, false))
	}
	return out, nil
}

// getAPIKey: GET keys/@self: the key of this request.
func (s *Server) getAPIKey(c *call) (any, error) {
	return c.apiKey(c.key, false), nil
}

// getAllPermissions: GET keys/permissions: every scope but "*", sorted.
func (s *Server) getAllPermissions(*call) (any, error) {
	out := slices.DeleteFunc(validScopes(), func(p string) bool { return p == ScopeAll })
	slices.Sort(out)
	return out, nil
}

func (s *Server) keyByID(id string) *Key {
	for _, k := range s.st.keys {
		if strings.EqualFold(k.ID, id) {
			return k
		}
	}
	return nil
}

type updateKeyBody struct {
	Name        *string  `json:"name"`
	Permissions []string `json:"permissions"`
	IsActive    *bool    `json:"isActive"`
}

// updateAPIKey: PUT keys/{keyId}: true, or false for an expired or (for non-admins) foreign key; an
// unknown id dereferences null (500).
func (s *Server) updateAPIKey(c *call) (any, error) {
	var body updateKeyBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return nil, err
	}
	k := s.keyByID(c.param("keyid"))
	if k == nil {
		return nil, errNullReference()
	}
	if !k.ExpiresAt.IsZero() && !c.now.Before(k.ExpiresAt) ||
		!c.caller.isAdmin() && !strings.EqualFold(k.OwnerID, c.caller.ID) {
		return false, nil
	}
	for _, p := range body.Permissions {
		if !slices.Contains(validScopes(), p) {
			return nil, errArgument("Permissions are not valid.")
		}
	}
	if body.Name != nil && *body.Name != "" {
		k.Name = *body.Name
	}
	if len(body.Permissions) > 0 {
		k.Permissions = slices.Clone(body.Permissions)
		if slices.Contains(k.Permissions, ScopeAll) {
			k.Permissions = nil
		}
	}
	if body.IsActive != nil {
		k.IsActive = *body.IsActive
	}
	c.audit(ActionAPIKeyUpdated, []string{k.ID}, k.Postfix())
	return true, nil
}

// deleteAPIKey: DELETE keys/{keyId}.
func (s *Server) deleteAPIKey(c *call) (any, error) {
	k := s.keyByID(c.param("keyid"))
	if k == nil {
		return nil, errNullReference()
	}
	if !c.caller.isAdmin() && !strings.EqualFold(k.OwnerID, c.caller.ID) {
		return false, nil
	}
	delete(s.st.keys, k.Secret)
	c.audit(ActionAPIKeyDeleted, []string{k.ID}, k.Postfix())
	return true, nil
}
