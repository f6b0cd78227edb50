import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from biaoshuai.demo.loader import DEMO_PASSWORD, DEMO_USERNAMES, load_demo
from biaoshuai.demo.scale import load_scale

PRODUCTION_REFUSED = (
    "ENVIRONMENT=production: the demo (its accounts and published passwords) is never loaded"
    " here. 生产环境不加载演示数据；用 `manage.py setup` 创建第一个系统管理员。"
)


class Command(BaseCommand):
    help = (
        "Load the demo: the seed's campaign in mid-course, its units, cadres and demo accounts. "
        "Running it again changes nothing. With --scale, also load benchmark data at scale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            action="store_true",
            help="Also load benchmark data: many units and cadres, written in bulk.",
        )
        parser.add_argument(
            "--units", type=int, default=2000, help="Units for --scale (default 2000)."
        )
        parser.add_argument(
            "--cadres", type=int, default=100_000, help="Cadres for --scale (default 100000)."
        )

    def handle(self, *args, scale, units, cadres, **options):
        if settings.ENVIRONMENT == "production":
            raise CommandError(PRODUCTION_REFUSED)
        if scale and (units < 1 or cadres < 0):
            raise CommandError("--units must be at least 1 and --cadres at least 0.")
        started = time.perf_counter()
        load_demo(stdout=self.stdout)
        self.stdout.write(f"Demo loaded in {time.perf_counter() - started:.1f} s.")
        if scale:
            load_scale(units=units, cadres=cadres, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts: {', '.join(DEMO_USERNAMES)}; password: {DEMO_PASSWORD}"
            )
        )
