"""The page shell: layout, language, login session, CSRF, error pages."""
