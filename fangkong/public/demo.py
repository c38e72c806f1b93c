"""Demo step of the public side."""


def demo_step(seed: int) -> str:
    return "public: pending"
