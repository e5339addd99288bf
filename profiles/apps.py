from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "People"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from common import live
        from profiles.signals import accounts_activation_changed

        # An open tab's poll token (common.live) gets "nothing new" answers before the session is
        # read; signing out or leaving renews the person's audience stamp, which ends them at once.
        def signed_out(sender, user=None, **kwargs):
            if user is not None:
                live.audience_forget(user_id=user.pk)

        def activation_changed(sender, user_ids, **kwargs):
            live.stamps_renew([live.audience_stamp_key(user_id=pk) for pk in user_ids])

        user_logged_out.connect(signed_out, weak=False, dispatch_uid="profiles.live_signed_out")
        accounts_activation_changed.connect(
            activation_changed, weak=False, dispatch_uid="profiles.live_activation_changed"
        )
