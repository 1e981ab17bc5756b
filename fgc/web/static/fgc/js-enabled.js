// GOV.UK Frontend's "js-enabled" snippet, as a file so the CSP needs no 'unsafe-inline'.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
