// msgpackr catches this and uses its pure JavaScript string decoder (see vendor/msgpackr-extract-disabled/package.json).
throw new Error('msgpackr-extract is disabled in this build');
