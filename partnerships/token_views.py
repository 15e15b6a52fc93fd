"""The API tokens page: a user's own tokens, create one (shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnerships.forms import ApiTokenForm
from partnerships.models import ApiToken
from partnerships.tokens import api_token_create, api_token_revoke


@never_cache
@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else "name", problems)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    status = 400 if form.errors else 200
    return render(request, "partnerships/api_tokens.html",
                  {"form": form, "tokens": tokens, "created": created, "key": key}, status=status)


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # someone else's token: 404
    api_token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api_tokens")
