-- What a lab's machine may reach (issue 11): none, isolated or internet. Existing templates get
-- the safe default, which still serves the console and the screen.
ALTER TABLE templates ADD COLUMN network VARCHAR(16) NOT NULL DEFAULT 'isolated';
